// End-to-end harness: the fake providers (tests/fakeupstream), `wails dev`
// with live Go bindings pointed at them, and Debian's Chromium driven by
// playwright-core. Everything runs on loopback with private XDG
// directories; nothing is downloaded.
//
// Environment:
//   FAKEUPSTREAM_BIN  the fake providers' binary (run.sh builds it; built
//                     here into a temp dir when unset)
//   DISPLAY           an X display for the app window (run.sh starts Xvfb)
//   DBUS_SESSION_BUS_ADDRESS  a session bus with a real, unlocked keyring
//                     (tests/keyring-test.sh provides it)
//   E2E_PIDFILE       optional: pids this harness started are appended
//                     there so run.sh can end them if node dies first
//   E2E_WAILS_TIMEOUT_MS  how long the first wails dev build may take
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
export async function waitUntil(fn, { ms = 10_000, every = 100, what = 'condition' } = {}) {
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
/** `wails dev` builds the app here and deletes it when it exits normally. */
const DEV_BINARY = join(ROOT, 'build', 'bin', 'thinkcloud-dev-linux-amd64');
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

function goEnv() {
  const out = execFileSync('go', ['env', 'GOPATH', 'GOCACHE', 'GOMODCACHE'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  return { GOPATH: out[0], GOCACHE: out[1], GOMODCACHE: out[2] };
}

// ---------- the app ----------

/**
 * Starts the fakes and `wails dev`. The result has url (the dev server a
 * browser opens), fakes (the fakeupstream JSON), port (the local endpoint),
 * stats(kind), last(kind), log(), stop().
 */
export async function startApp() {
  installEmergencyCleanup();
  if (!process.env.DISPLAY) throw new Error('DISPLAY is not set: the app window needs an X server (tests/e2e/run.sh starts Xvfb)');
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
    wails: null,
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
      return `--- wails dev (tail) ---\n${app.logs.wails?.text ?? ''}\n--- fakeupstream stderr ---\n${app.logs.fake?.text ?? ''}`;
    },
    async stop() {
      await stopWails(app.wails);
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
    const env = { ...cleanEnv(), ...goEnv() };
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
      const timer = setTimeout(() => rej(new Error(`fakeupstream printed nothing in 10 s\n${app.logs.fake.text}`)), 10_000);
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
      }),
    );

    // wails dev: -s no frontend build (vite serves src/ live; a build would
    // empty frontend/dist under everyone else's feet), -m/-nosyncgomod keep
    // go.mod and go.sum alone, -skipbindings leaves frontend/wailsjs alone,
    // -nogorebuild/-noreload so other people's edits do not restart the app
    // mid-suite; the e2e tag makes file dialogs scriptable (backend/desktop/chooser_e2e.go).
    const devPort = await freePort();
    app.url = `http://127.0.0.1:${devPort}/`;
    const wailsBin = join(env.GOPATH, 'bin', 'wails');
    const args = ['dev', '-tags', 'webkit2_41,e2e', '-s', '-m', '-nosyncgomod', '-skipbindings', '-nogorebuild', '-noreload', '-nocolour', '-devserver', `127.0.0.1:${devPort}`];
    const wlog = createWriteStream(join(ARTIFACTS, 'e2e-wails.log'));
    app.wails = spawn(wailsBin, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    started.add(app.wails.pid);
    leftovers.add(DEV_BINARY);
    notePids([app.wails.pid]);
    app.logs.wails = { text: '' };
    const w = tail(app.wails.stdout, wlog);
    const we = tail(app.wails.stderr, wlog);
    Object.defineProperty(app.logs.wails, 'text', { get: () => w.text + we.text });

    const budget = Number(process.env.E2E_WAILS_TIMEOUT_MS || 420_000);
    const t0 = Date.now();
    await waitUntil(
      async () => {
        if (app.wails.exitCode !== null) throw Object.assign(new Error(`wails dev exited (${app.wails.exitCode})`), { fatal: true });
        notePids(processTree(app.wails.pid));
        const r = await fetch(app.url, { signal: AbortSignal.timeout(2000) });
        return r.ok;
      },
      { ms: budget, every: 500, what: `wails dev to serve ${app.url}` },
    ).catch((e) => {
      throw new Error(`${e.message}\n${app.log()}`);
    });
    await waitUntil(() => portOpen(app.port), { ms: 20_000, what: `the local endpoint on port ${app.port}` }).catch((e) => {
      throw new Error(`${e.message}\n${app.log()}`);
    });
    notePids(processTree(app.wails.pid));
    console.log(`# e2e: wails dev ready at ${app.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (endpoint on ${app.port})`);
    return app;
  } catch (e) {
    await app.stop().catch(() => {});
    throw e;
  }
}

/** Ends wails dev: SIGINT lets it stop the app and vite and delete the dev binary; then anything left is killed. */
async function stopWails(child) {
  if (!child) return;
  const tree = processTree(child.pid);
  let graceful = false;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killPids([child.pid], 'SIGINT');
    graceful = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  }
  const left = tree.filter(alive);
  if (left.length) {
    killPids(left, 'SIGTERM');
    await sleep(1000);
    killPids(left.filter(alive), 'SIGKILL');
  }
  if (!graceful) rmSync(DEV_BINARY, { force: true });
  leftovers.delete(DEV_BINARY);
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
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
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
