// End-to-end harness: the fake providers (tests/fakeupstream), the app
// built with the `dev` tag (what `wails dev` runs) with live Go bindings
// pointed at them, vite serving the frontend, and Debian's Chromium driven
// by playwright-core. Everything runs on loopback with private XDG
// directories; nothing is downloaded.
//
// Environment:
//   FAKEUPSTREAM_BIN  the fake providers' binary (run.sh builds it; built
//                     here into a temp dir when unset)
//   E2E_APP_BIN       the app built with `-tags dev,webkit2_41,e2e` (run.sh
//                     builds it; buildApp() below when unset)
//   DISPLAY           an X display for the app window (run.sh starts Xvfb)
//   DBUS_SESSION_BUS_ADDRESS  a session bus with a real, unlocked keyring
//                     (tests/keyring-test.sh provides it)
//   E2E_PIDFILE       optional: pids this harness started are appended
//                     there so run.sh can end them if node dies first
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const ARTIFACTS = join(ROOT, 'build', 'test-artifacts');
export const KINDS = ['cerebras', 'deepseek', 'openai', 'dashscope', 'kimi'];
/** Providers that get their key from the environment; kimi's key is saved through the UI. */
export const ENV_KEYED = ['cerebras', 'deepseek', 'openai', 'dashscope'];

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// How long a step may take before it counts as a hang. Waits end as soon as
// their condition holds; the bound is generous so that a busy machine (CI on
// two shared cores) only makes the suite slower. Nothing here waits on a
// build: the app is built before anything starts, with no time limit.
export const HANG_MS = 120_000;

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port, ms = 1000) {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (v) => {
      s.destroy();
      res(v);
    };
    s.setTimeout(ms, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Polls fn until it returns a truthy value; throws with what() after ms. */
export async function waitUntil(fn, { ms = HANG_MS, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e?.fatal) throw e;
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

// ---------- processes ----------

/** Direct children of every process, read from /proc. */
function childrenMap() {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  return kids;
}

/** pid and all its descendants (vite runs in its own process group, so a group kill is not enough). */
export function processTree(pid) {
  const kids = childrenMap();
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const k of kids.get(p) ?? []) walk(k);
  };
  walk(pid);
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killPids(pids, sig) {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* already gone */
    }
  }
}

/** Start time of a process (field 22 of /proc/pid/stat), which tells a recycled pid apart. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return '';
  }
}

const noted = new Set();
/** Tells run.sh (through $E2E_PIDFILE) which processes to end if node dies before its after() hook. */
function notePids(pids) {
  if (!process.env.E2E_PIDFILE) return;
  const lines = [];
  for (const p of pids) {
    const st = startTime(p);
    if (!st || noted.has(`${p} ${st}`)) continue;
    noted.add(`${p} ${st}`);
    lines.push(`${p} ${st}\n`);
  }
  try {
    if (lines.length) appendFileSync(process.env.E2E_PIDFILE, lines.join(''));
  } catch {
    /* best effort */
  }
}

/** Everything started here, so a crash or a signal still cleans up. */
const started = new Set();
/** Temporary directories and files to delete on the way out. */
const leftovers = new Set();
let emergencyInstalled = false;
function installEmergencyCleanup() {
  if (emergencyInstalled) return;
  emergencyInstalled = true;
  const cleanAll = () => {
    for (const pid of started) killPids(processTree(pid).reverse(), 'SIGKILL');
    for (const path of leftovers) {
      try {
        rmSync(path, { recursive: true, force: true });
      } catch {
        /* best effort on the way out */
      }
    }
  };
  // playwright-core closes the browser it launched on these signals too.
  process.on('exit', cleanAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      cleanAll();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig] ?? 0));
    });
  }
}

/** Keeps the last bytes a stream carried (and drains it). */
function tail(stream, log, limit = 64 << 10) {
  const t = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    t.text = (t.text + d).slice(-limit);
    log?.write(d);
  });
  return t;
}

/** The environment minus anything that could reach a real provider or the caller's own settings. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/(_API_KEY|_BASE_URL|_PROXY)$/i.test(k) || /^(THINKCLOUD_|XDG_CONFIG|XDG_DATA|XDG_CACHE)/.test(k)) continue;
    if (/^(http|https|no|all)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** The tags of the app under test: `dev` is what `wails dev` builds (its dev server), `e2e` scripts the file dialogs. */
export const APP_TAGS = 'dev,webkit2_41,e2e';

/**
 * The app binary: $E2E_APP_BIN, or built here into a temp dir. Call it
 * outside any test or hook (e2e.test.mjs does so at the top level), so
 * that compiling, which takes minutes on a cold cache and a busy machine,
 * is never raced against a timeout.
 */
export function buildApp() {
  if (process.env.E2E_APP_BIN) return process.env.E2E_APP_BIN;
  installEmergencyCleanup();
  const dir = mkdtempSync(join(tmpdir(), 'thinkcloud-e2e-bin-'));
  leftovers.add(dir);
  const bin = join(dir, 'thinkcloud-e2e');
  // The app refuses to start without its embedded frontend, though vite serves the UI here.
  if (!existsSync(join(ROOT, 'frontend', 'dist', 'index.html'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(ROOT, 'frontend'), stdio: 'inherit' });
  }
  console.log(`# e2e: building the app (-tags ${APP_TAGS}) into ${bin}`);
  execFileSync('go', ['build', '-tags', APP_TAGS, '-o', bin, '.'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: '1' } });
  process.env.E2E_APP_BIN = bin;
  return bin;
}

// ---------- the app ----------

/**
 * Starts the fakes, vite and the app, the way `wails dev` does but without
 * building anything (see buildApp). The result has url (the app's dev
 * server, which a browser opens), fakes (the fakeupstream JSON), port (the
 * local endpoint), stats(kind), last(kind), log(), stop().
 */
export async function startApp() {
  installEmergencyCleanup();
  if (!process.env.DISPLAY) throw new Error('DISPLAY is not set: the app window needs an X server (tests/e2e/run.sh starts Xvfb)');
  const appBin = process.env.E2E_APP_BIN;
  if (!appBin) throw new Error('E2E_APP_BIN is not set: call buildApp() first (tests/e2e/run.sh builds the app)');
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'thinkcloud-e2e-'));
  leftovers.add(dir);
  const app = {
    dir,
    /** Where the app's file dialogs take their answers (see e2e.test.mjs, answerDialog). */
    dialogs: join(dir, 'dialogs'),
    url: '',
    port: 0,
    fakes: null,
    fake: null,
    vite: null,
    proc: null,
    logs: {},
    async stats(kind) {
      const r = await fetch(`${app.fakes[kind].root}/_stats`);
      return r.json();
    },
    async last(kind) {
      const r = await fetch(`${app.fakes[kind].root}/_last`);
      const text = await r.text();
      return text ? JSON.parse(text) : null;
    },
    log() {
      return [
        `--- app (tail) ---\n${app.logs.app?.text ?? ''}`,
        `--- vite (tail) ---\n${app.logs.vite?.text ?? ''}`,
        `--- fakeupstream stderr ---\n${app.logs.fake?.text ?? ''}`,
      ].join('\n');
    },
    async stop() {
      await stopTree(app.proc);
      await stopTree(app.vite);
      if (app.fake && app.fake.exitCode === null) {
        app.fake.stdin.end(); // the fake serves until stdin closes
        await Promise.race([new Promise((r) => app.fake.once('exit', r)), sleep(3000)]);
        if (app.fake.exitCode === null) killPids([app.fake.pid], 'SIGKILL');
      }
      started.delete(app.fake?.pid);
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(dir);
    },
  };
  try {
    const env = cleanEnv();
    env.XDG_CONFIG_HOME = join(dir, 'config');
    env.XDG_DATA_HOME = join(dir, 'data');
    env.XDG_CACHE_HOME = join(dir, 'cache');
    if (!env.DBUS_SESSION_BUS_ADDRESS) env.DBUS_SESSION_BUS_ADDRESS = 'disabled:';
    // Built with the e2e tag, the app answers file dialogs from this folder
    // instead of opening GTK choosers nobody could click (desktop.ScriptedDialogs).
    env.THINKCLOUD_E2E_DIALOGS = app.dialogs;
    mkdirSync(app.dialogs);

    // Fake providers.
    let fakeBin = process.env.FAKEUPSTREAM_BIN;
    if (!fakeBin) {
      fakeBin = join(dir, 'fakeupstream');
      execFileSync('go', ['build', '-o', fakeBin, './tests/fakeupstream'], { cwd: ROOT, stdio: 'inherit' });
    }
    app.fake = spawn(fakeBin, [], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    started.add(app.fake.pid);
    notePids([app.fake.pid]);
    app.logs.fake = tail(app.fake.stderr);
    app.fakes = await new Promise((res, rej) => {
      let buf = '';
      const timer = setTimeout(() => rej(new Error(`fakeupstream printed nothing in ${HANG_MS} ms\n${app.logs.fake.text}`)), HANG_MS);
      app.fake.stdout.setEncoding('utf8');
      app.fake.stdout.on('data', (d) => {
        buf += d;
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          res(JSON.parse(buf.slice(0, nl)));
        }
      });
      app.fake.once('exit', (c) => rej(new Error(`fakeupstream exited (${c})\n${app.logs.fake.text}`)));
    });
    for (const kind of KINDS) {
      env[`${kind.toUpperCase()}_BASE_URL`] = app.fakes[kind].baseURL;
      if (ENV_KEYED.includes(kind)) env[`${kind.toUpperCase()}_API_KEY`] = app.fakes[kind].key;
    }

    // The endpoint port comes from the settings file, not from --port: a
    // --port flag overrides the settings for the whole run, so the port
    // field of Settings → Local endpoint could not move it.
    app.port = await freePort();
    mkdirSync(join(env.XDG_CONFIG_HOME, 'thinkcloud'), { recursive: true });
    writeFileSync(
      join(env.XDG_CONFIG_HOME, 'thinkcloud', 'settings.json'),
      JSON.stringify({
        version: 1,
        endpoint: { enabled: true, host: '127.0.0.1', port: app.port, requireToken: false, rateLimitPerMinute: 0 },
        theme: 'light',
        language: 'en',
        // The first-run update question would sit above every view.
        updates: { check: 'off' },
      }),
    );

    // What `wails dev` does once it has built the app (cmd/wails/internal/
    // dev/dev.go in wails v2.16: runFrontendDevWatcherCommand, restartApp),
    // minus the build and the file watchers: it runs wails.json's
    // frontend:dev:watcher (`npm run dev`, i.e. vite) in frontend/, then the
    // dev build with the dev server's address and vite's URL in its
    // environment. Doing it here means no build races a timeout, no watcher
    // restarts the app when someone edits a file mid-suite, and readiness is
    // a port that accepts connections (wails dev itself gives vite 10 s to
    // print its URL). vite gets a port of ours and must take it.
    const log = createWriteStream(join(ARTIFACTS, 'e2e-app.log'));
    const viteBin = join(ROOT, 'frontend', 'node_modules', '.bin', 'vite');
    let vitePort;
    for (let attempt = 1; ; attempt++) {
      vitePort = await freePort();
      app.vite = spawn(viteBin, ['--host', '127.0.0.1', '--port', String(vitePort), '--strictPort', '--clearScreen', 'false'], {
        cwd: join(ROOT, 'frontend'),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group: stopTree ends it and esbuild
      });
      started.add(app.vite.pid);
      notePids([app.vite.pid]);
      app.logs.vite = both(app.vite, log, 'vite');
      const up = await waitForPort(app.vite, vitePort, 'vite');
      if (up) break;
      // Exited: most likely someone else took the port between freePort() and vite.
      if (attempt === 3) throw new Error(`vite exited (${app.vite.exitCode ?? app.vite.signalCode}) three times\n${app.log()}`);
      started.delete(app.vite.pid);
    }

    const devPort = await freePort();
    app.url = `http://127.0.0.1:${devPort}/`;
    app.proc = spawn(appBin, [], {
      cwd: ROOT,
      env: { ...env, devserver: `127.0.0.1:${devPort}`, frontenddevserverurl: `http://127.0.0.1:${vitePort}`, loglevel: 'Info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, with its WebKit processes
    });
    started.add(app.proc.pid);
    notePids([app.proc.pid]);
    app.logs.app = both(app.proc, log, 'app');

    const t0 = Date.now();
    for (const [port, what] of [
      [devPort, `the app's dev server on port ${devPort}`],
      [app.port, `the local endpoint on port ${app.port}`],
    ]) {
      if (!(await waitForPort(app.proc, port, what))) throw new Error(`the app exited (${app.proc.exitCode ?? app.proc.signalCode}) before ${what} was up\n${app.log()}`);
    }
    // The dev server answers through vite.
    await waitUntil(async () => (await fetch(app.url, { signal: AbortSignal.timeout(HANG_MS) })).ok, { what: `${app.url} to answer` }).catch((e) => {
      throw new Error(`${e.message}\n${app.log()}`);
    });
    notePids([...processTree(app.proc.pid), ...processTree(app.vite.pid)]);
    console.log(`# e2e: app up at ${app.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (vite on ${vitePort}, endpoint on ${app.port})`);
    return app;
  } catch (e) {
    await app.stop().catch(() => {});
    throw e;
  }
}

/** Tails a child's stdout and stderr into log, each line marked with who wrote it; returns the tail. */
function both(child, log, who) {
  const t = { text: '' };
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      t.text = (t.text + d).slice(-(64 << 10));
      log.write(d.replace(/^(?=.)/gm, `${who}: `));
    });
  }
  return t;
}

/**
 * Resolves true once 127.0.0.1:port accepts connections, false if child
 * exits first; throws after HANG_MS.
 */
async function waitForPort(child, port, what) {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  try {
    await waitUntil(
      async () => {
        if (exited()) return true;
        notePids(processTree(child.pid));
        return portOpen(port);
      },
      { what, every: 200 },
    );
  } catch (e) {
    throw new Error(`${e.message}: ${child.spawnfile} is still running`);
  }
  return !exited();
}

/** Ends a child and everything below it: SIGTERM, then SIGKILL for what is left after 15 s. */
async function stopTree(child) {
  if (!child) return;
  const tree = processTree(child.pid);
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killPids(tree, 'SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
  }
  const left = tree.filter(alive);
  if (left.length) {
    killPids(left, 'SIGTERM');
    await sleep(1000);
    killPids(left.filter(alive), 'SIGKILL');
  }
  started.delete(child.pid);
}

// ---------- the browser ----------

/** Chromium with a fresh profile directory, deleted again by close(). */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'thinkcloud-e2e-chromium-'));
  leftovers.add(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    // The browser needs no session bus; on the suite's private bus it
    // wakes xdg-desktop-portal, whose document portal mounts a FUSE file
    // system in XDG_RUNTIME_DIR that keyring-test.sh then cannot delete.
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
    timeout: HANG_MS,
  });
  // Bounds for hangs: on a busy machine the first page load, while vite
  // transforms every module, takes many seconds.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(HANG_MS);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
      leftovers.delete(profile);
    },
  };
}

/** Wails' /wails/ipc.js throws one harmless TypeError on every page load. */
export function isWailsNoise(err) {
  return /\/wails\/ipc\.js/.test(err?.stack ?? '');
}

// ---------- Wails IPC in the browser ----------

/** How many chat:stream events reached the browser out of order. */
export const ipcStats = { streamEvents: 0, reordered: 0 };

/**
 * Watches the page's Wails IPC socket (/wails/ipc) and counts chat:stream
 * events that arrive out of seq order, passing everything through as is.
 *
 * Why: in `wails dev` the dev server writes every event to each browser
 * from its own goroutine (broadcast() in wails/v2 internal/frontend/
 * devserver/devserver.go), so events of one stream can overtake each
 * other. The chat store must put them back in order itself (it holds an
 * early event until the gap fills); this suite relies on that, and the
 * count shows how often it was needed.
 */
export async function orderChatStream(page) {
  await page.routeWebSocket(
    (url) => url.pathname === '/wails/ipc',
    (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      const highest = new Map(); // streamId -> highest seq seen
      ws.onClose((code, reason) => server.close({ code, reason }));
      server.onClose((code, reason) => ws.close({ code, reason }));
      server.onMessage((m) => {
        const ev = chatStreamEvent(m);
        if (ev) {
          ipcStats.streamEvents++;
          if (ev.seq < (highest.get(ev.streamId) ?? 0)) ipcStats.reordered++;
          highest.set(ev.streamId, Math.max(ev.seq, highest.get(ev.streamId) ?? 0));
        }
        ws.send(m);
      });
    },
  );
}

/** The payload of a chat:stream notification ("n" + {"name","data":[event]}), else null. */
function chatStreamEvent(m) {
  if (typeof m !== 'string' || m[0] !== 'n' || !m.includes('"chat:stream"')) return null;
  try {
    const msg = JSON.parse(m.slice(1));
    const ev = msg?.name === 'chat:stream' ? msg.data?.[0] : null;
    return ev && typeof ev.streamId === 'string' && Number.isInteger(ev.seq) ? ev : null;
  } catch {
    return null;
  }
}
