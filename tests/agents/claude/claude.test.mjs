// Claude Code itself, non-interactively (`claude -p`), against `thinkcloud
// serve` in front of the scripted fake providers. The prompt carries
// trigger:write=PATH: the fake answers with a call to Claude Code's own
// Write tool, and once the tool result comes back, with "Wrote PATH." So
// the task needs a real tool round trip through the Messages door, in
// each of its modes. run.sh puts all of it in a network namespace where
// only loopback exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLAUDE = join(here, 'node_modules', '.bin', 'claude');
const WRITTEN = 'written by the scripted fake provider\n'; // fakeupstream.WrittenContent
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function need(name) {
  if (!process.env[name]) throw new Error(`${name} is not set: run tests/agents/claude/run.sh`);
  return process.env[name];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a child to its end (or kills it after ms) and returns its exit and output. */
function run(cmd, args, opts, ms) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

/** A clean environment: nothing of the machine's keys, proxies or XDG dirs. */
function baseEnv() {
  const env = {};
  for (const k of ['PATH', 'LANG', 'TMPDIR']) if (process.env[k]) env[k] = process.env[k];
  return env;
}

/** Starts the fakes and serve (with settings, if given) in dir. */
async function startStack(dir, settings) {
  const env = { ...baseEnv(), HOME: dir, DBUS_SESSION_BUS_ADDRESS: 'disabled:' };
  for (const [k, v] of Object.entries({ XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_DATA_HOME: 'data' })) env[k] = join(dir, v);
  const fake = spawn(need('FAKEUPSTREAM_BIN'), [], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const fakes = await new Promise((resolve, reject) => {
    let buf = '';
    fake.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    fake.on('exit', () => reject(new Error('fakeupstream exited')));
  });
  for (const [kind, f] of Object.entries(fakes)) {
    const K = kind.toUpperCase();
    env[`${K}_API_KEY`] = f.key;
    env[`${K}_BASE_URL`] = f.baseURL;
    if (f.anthropicBaseURL) env[`${K}_ANTHROPIC_BASE_URL`] = f.anthropicBaseURL;
  }
  if (settings) {
    await mkdir(join(dir, 'config', 'thinkcloud'), { recursive: true });
    await writeFile(join(dir, 'config', 'thinkcloud', 'settings.json'), JSON.stringify(settings));
  }
  const port = await freePort();
  const serve = spawn(need('THINKCLOUD_BIN'), ['serve', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  serve.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (i > 200) throw new Error(`serve did not start:\n${log}`);
    await sleep(50);
  }
  return {
    url,
    fakes,
    log: () => log,
    /** Every request a fake got, as [{path, headers, body}]. */
    async requests(kind) {
      return (await (await fetch(`${fakes[kind].root}/_requests`)).json()) ?? [];
    },
    async stop() {
      serve.kill('SIGTERM');
      fake.stdin.end();
      await Promise.all([serve, fake].map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    },
  };
}

/** Runs `claude -p` in a fresh HOME and working directory; resolves with the file it should have written. */
async function claude(stack, dir, extraArgs = []) {
  const home = join(dir, 'claude-home');
  const wd = join(dir, 'project');
  await mkdir(home, { recursive: true });
  await mkdir(wd, { recursive: true });
  const file = join(wd, 'hello.txt');
  const env = {
    ...baseEnv(),
    HOME: home,
    TERM: 'dumb',
    ANTHROPIC_BASE_URL: stack.url,
    ANTHROPIC_API_KEY: 'sk-local-anything', // any key does on loopback; sent as x-api-key
    // Everything that would reach Anthropic or anyone else, off.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    DISABLE_COST_WARNINGS: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '0',
    // And whatever still tries goes nowhere (inside run.sh's namespace
    // there is nothing but loopback anyway).
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const args = ['-p', `Please create the file. trigger:write=${file}`, '--allowedTools', 'Write', '--output-format', 'json', ...extraArgs];
  const r = await run(CLAUDE, args, { cwd: wd, env }, 120_000);
  let result;
  try {
    result = JSON.parse(r.out);
  } catch {
    result = { result: undefined };
  }
  const why = `claude exited ${r.code ?? r.signal}\nstdout: ${r.out.slice(0, 3000)}\nstderr: ${r.err.slice(0, 3000)}\n--- serve ---\n${stack.log().slice(-4000)}`;
  return { r, result, file, why };
}

async function withStack(settings, fn) {
  const dir = await mkdtemp(join(tmpdir(), 'thinkcloud-claude-'));
  const stack = await startStack(dir, settings);
  try {
    await fn(stack, dir);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

test('claude -p, native: DeepSeek Anthropic API, the default Claude model through the opus tier', async () => {
  await withStack(null, async (stack, dir) => {
    const { r, result, file, why } = await claude(stack, dir);
    assert.equal(r.code, 0, why);
    assert.equal(result.is_error, false, why);
    assert.equal(result.result, `Wrote ${file}.`, why);
    assert.equal(await readFile(file, 'utf8'), WRITTEN);
    const calls = (await stack.requests('deepseek')).filter((q) => q.path === '/anthropic/v1/messages');
    assert.ok(calls.length >= 2, `the fake's Anthropic API got ${calls.length} requests`);
    const last = JSON.parse(calls.at(-1).body);
    assert.equal(last.model, 'deepseek-v4-pro', 'claude-opus-* maps to the opus tier');
    const blocks = last.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    assert.equal(blocks.find((b) => b.type === 'tool_result')?.tool_use_id, 'toolu_call_write1', `no tool_result reached the provider: ${calls.at(-1).body.slice(0, 500)}`);
    // The provider's own thinking block went through Claude Code and came
    // back untouched (the fake refuses the turn otherwise).
    assert.equal(blocks.find((b) => b.type === 'thinking')?.signature, 'fake-deepseek-signature');
  });
});

test('claude -p, translated: DeepSeek chat completions with thinking, reasoning sent back', async () => {
  await withStack({ version: 1, providers: { deepseek: { enabled: true, anthropicAPI: 'translate' } } }, async (stack, dir) => {
    const { r, result, file, why } = await claude(stack, dir);
    assert.equal(r.code, 0, why);
    assert.equal(result.result, `Wrote ${file}.`, why);
    assert.equal(await readFile(file, 'utf8'), WRITTEN);
    const chats = (await stack.requests('deepseek')).filter((q) => q.path.endsWith('/chat/completions'));
    const last = JSON.parse(chats.at(-1).body);
    assert.deepEqual(last.thinking, { type: 'enabled' }, "Claude Code's adaptive thinking, in DeepSeek's spelling");
    const call = last.messages.find((m) => m.role === 'assistant' && m.tool_calls);
    assert.equal(call?.reasoning_content, 'I will call the tool first.', 'the reasoning came back from the thinking block');
    assert.equal(last.messages.find((m) => m.role === 'tool')?.tool_call_id, 'call_write1');
  });
});

test('claude -p --model gpt-6-luna: OpenAI, translated', async () => {
  await withStack(null, async (stack, dir) => {
    const { r, result, file, why } = await claude(stack, dir, ['--model', 'gpt-6-luna']);
    assert.equal(r.code, 0, why);
    assert.equal(result.result, `Wrote ${file}.`, why);
    assert.equal(await readFile(file, 'utf8'), WRITTEN);
    const chats = (await stack.requests('openai')).filter((q) => q.path.endsWith('/chat/completions'));
    const last = JSON.parse(chats.at(-1).body);
    assert.equal(last.model, 'gpt-6-luna');
    assert.equal(last.reasoning_effort, 'high', "Claude Code's thinking, as the effort gpt-6-luna takes");
    assert.equal(last.temperature, undefined, 'a reasoning model of OpenAI gets no sampling');
    assert.ok(last.tools.some((t) => t.function.name === 'Write'));
    assert.equal(last.messages.find((m) => m.role === 'tool')?.tool_call_id, 'call_write1');
  });
});
