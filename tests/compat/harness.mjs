// Test harness: starts the five fake providers (tests/fakeupstream) and
// `thinkcloud serve` pointed at them, on loopback only, and tears both
// down again. It builds nothing: the binaries come from THINKCLOUD_BIN and
// FAKEUPSTREAM_BIN (run.sh builds them).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

export const KINDS = ['cerebras', 'deepseek', 'openai', 'dashscope', 'kimi'];

const here = dirname(fileURLToPath(import.meta.url));

/** The built-in catalog, read from the source tree. */
export function builtinCatalog() {
  return JSON.parse(readFileSync(join(here, '..', '..', 'backend', 'catalog', 'builtin.json'), 'utf8'));
}

function requireBin(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/compat/run.sh, or build the binary and export ${name}=/path/to/it`);
  return v;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// How long a step may take before the suite calls it a hang. Everything
// here is loopback and small, done in well under a second on an idle
// machine; the bound is that generous so that a busy one (CI on two shared
// cores) only makes the suite slower, never failing. Waits end as soon as
// their condition holds.
export const HANG_MS = 120_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Keeps the last bytes a child wrote, for error messages; also drains the pipe. */
function tail(stream, limit = 16 << 10) {
  const t = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    t.text = (t.text + d).slice(-limit);
  });
  return t;
}

/** Resolves with the first stdout line matching re, rejects if the child exits first or after ms. */
function waitForLine(child, out, re, ms, what) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err, v) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      err ? reject(err) : resolve(v);
    };
    const onData = (d) => {
      buf += d;
      const m = buf.match(re);
      if (m) done(null, m);
    };
    const onExit = (code, sig) => done(new Error(`${what} exited (${code ?? sig}) before it was ready:\n${buf}\n${out.err?.text ?? ''}`));
    const timer = setTimeout(() => done(new Error(`${what} not ready after ${ms} ms:\n${buf}\n${out.err?.text ?? ''}`)), ms);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

function stopChild(child, ms = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// Children of every harness of this process, killed if the process dies
// without running its after() hooks.
const live = new Set();
process.on('exit', () => {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {}
  }
});

/** A clean environment: no real keys, base URLs, proxies or tokens leak in. */
function cleanEnv(dir) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/(_API_KEY|_BASE_URL|_PROXY)$/i.test(k) || /^(THINKCLOUD_|XDG_|DBUS_)/.test(k) || /^(http|https|no|all)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  return Object.assign(env, {
    DBUS_SESSION_BUS_ADDRESS: 'disabled:',
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    HOME: dir,
  });
}

/**
 * Starts fakes and serve. The returned object has baseURL, client(opts),
 * anthropic(opts), stats(kind), last(kind), lastAt(kind, path), lastMessages(kind),
 * fakes, restartServe() and stop(). stop() is safe to call after a partial
 * start. opts.settings, when set, is written as serve's settings.json first;
 * opts.env adds to (and wins over) serve's environment, e.g. a provider's
 * BASE_URL moved to a dead port (that provider's model list is then not
 * waited for).
 */
export async function start(opts = {}) {
  const h = {
    dir: null,
    fake: null,
    serve: null,
    fakes: null,
    baseURL: null,
    logs: {},
    async stop() {
      await Promise.all([stopChild(h.serve), stopChild(h.fake)]);
      live.delete(h.serve);
      live.delete(h.fake);
      if (h.dir) await rm(h.dir, { recursive: true, force: true });
    },
    /** An SDK client for the endpoint; the API key is ignored by the loopback endpoint. */
    client(opts = {}) {
      return new OpenAI({ apiKey: 'sk-local-anything', baseURL: h.baseURL, timeout: HANG_MS, ...opts });
    },
    /** An Anthropic SDK client for the endpoint (Claude Code's base URL has no /v1). */
    anthropic(opts = {}) {
      return new Anthropic({ apiKey: 'sk-ant-local-anything', baseURL: h.baseURL.replace(/\/v1$/, ''), timeout: 20_000, ...opts });
    },
    /** The last request to a fake's Anthropic API: {body, headers}. */
    async lastMessages(kind) {
      const r = await fetch(`${h.fakes[kind].root}/_last_messages`);
      return r.json();
    },
    async stats(kind) {
      const r = await fetch(`${h.fakes[kind].root}/_stats`);
      return r.json();
    },
    async last(kind) {
      const r = await fetch(`${h.fakes[kind].root}/_last`);
      return r.text();
    },
    /** Stops serve and starts a new one (a restart): in-memory state is gone, baseURL changes. */
    async restartServe() {
      await stopChild(h.serve);
      live.delete(h.serve);
      await startServe(h);
    },
    /** The body of the last request a fake got at a path ending with suffix (default: chat). */
    async lastAt(kind, suffix) {
      const r = await fetch(`${h.fakes[kind].root}/_last?path=${encodeURIComponent(suffix)}`);
      return r.text();
    },
    /** Server logs, for assertion messages. */
    log() {
      return `--- serve stderr ---\n${h.logs.serve?.text ?? ''}\n--- fakeupstream stderr ---\n${h.logs.fake?.text ?? ''}`;
    },
  };
  try {
    h.dir = await mkdtemp(join(tmpdir(), 'thinkcloud-compat-'));
    const wd = join(h.dir, 'wd');
    await mkdir(wd);
    const env = cleanEnv(h.dir);
    if (opts.settings) {
      await mkdir(join(h.dir, 'config', 'thinkcloud'), { recursive: true });
      await writeFile(join(h.dir, 'config', 'thinkcloud', 'settings.json'), JSON.stringify(opts.settings), { mode: 0o600 });
    }

    h.fake = spawn(requireBin('FAKEUPSTREAM_BIN'), [], { cwd: wd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(h.fake);
    h.logs.fake = tail(h.fake.stderr);
    const [line] = await waitForLine(h.fake, { err: h.logs.fake }, /^\{.*\}\n/m, HANG_MS, 'fakeupstream');
    h.fake.stdout.resume();
    h.fakes = JSON.parse(line);
    for (const kind of KINDS) {
      env[`${kind.toUpperCase()}_API_KEY`] = h.fakes[kind].key;
      env[`${kind.toUpperCase()}_BASE_URL`] = h.fakes[kind].baseURL;
      if (h.fakes[kind].anthropicBaseURL) env[`${kind.toUpperCase()}_ANTHROPIC_BASE_URL`] = h.fakes[kind].anthropicBaseURL;
    }

    Object.assign(env, opts.env ?? {});
    h.env = env;
    await startServe(h);
    const root = h.baseURL.replace(/\/v1$/, '');
    const healthy = await eventually(async () => {
      try {
        return (await fetch(`${root}/health`)).ok;
      } catch {
        return false;
      }
    }, HANG_MS, 50);
    if (!healthy) throw new Error(`/health never answered 200\n${h.log()}`);
    // serve fetches every provider's /models in the background at start;
    // wait for those requests so per-test request counts are exact.
    const fetched = await eventually(async () => {
      const reached = KINDS.filter((k) => !opts.env?.[`${k.toUpperCase()}_BASE_URL`]);
      const all = await Promise.all(reached.map((k) => h.stats(k)));
      return all.every((s) => s.requests >= 1);
    });
    if (!fetched) throw new Error(`serve did not fetch the model lists at start\n${h.log()}`);
    return h;
  } catch (err) {
    await h.stop();
    throw err;
  }
}

/**
 * Starts `thinkcloud serve` with h.env on a free port and waits for its
 * base URL. The port is free when we look; another process may take it
 * before serve binds, so try a few.
 */
async function startServe(h) {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const serve = spawn(requireBin('THINKCLOUD_BIN'), ['serve', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: join(h.dir, 'wd'),
      env: h.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(serve);
    const logs = { err: tail(serve.stderr) };
    try {
      const m = await waitForLine(serve, logs, /Base URL\s+(http:\/\/127\.0\.0\.1:\d+\/v1)/, HANG_MS, 'thinkcloud serve');
      h.serve = serve;
      h.logs.serve = logs.err;
      h.baseURL = m[1];
      serve.stdout.resume(); // keep draining
      return;
    } catch (err) {
      await stopChild(serve);
      live.delete(serve);
      if (attempt >= 2 || !/already in use/.test(err.message)) throw err;
    }
  }
}

/** Polls fn until it returns a truthy value or ms pass (a hang); returns the last value. */
export async function eventually(fn, ms = HANG_MS, step = 25) {
  const end = Date.now() + ms;
  let v;
  for (;;) {
    v = await fn();
    if (v || Date.now() >= end) return v;
    await sleep(step);
  }
}

/** Runs fn and returns how many requests each fake saw meanwhile. */
export async function countRequests(h, kind, fn) {
  const before = (await h.stats(kind)).requests;
  let result, error;
  try {
    result = await fn();
  } catch (e) {
    error = e;
  }
  const after = (await h.stats(kind)).requests;
  return { n: after - before, result, error };
}
