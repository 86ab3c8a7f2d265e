// The real Codex CLI (`codex exec`, pinned in package.json) against
// `thinkcloud serve` in front of a scripted fake DeepSeek: the fake asks
// for Codex's shell tool until a tool answered, then answers with text.
// Codex gets a fresh HOME and CODEX_HOME, every switch that would make it
// call its vendor is off, and a dead proxy makes any outside lookup fail
// at once: only loopback is reachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from '../../compat/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CODEX = join(here, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');
const FILE = 'made-by-codex.txt';
const PROMPT = `trigger:call=exec_command trigger:args={"cmd":"echo codex-was-here > ${FILE}"}`;

let h;
let dir;
before(async () => {
  // Codex sends its hosted web_search tool on every turn; the user's
  // setting has ThinkCloud drop it (without it the request is a 400
  // naming the tool, and Codex's own web_search = "disabled" works too).
  h = await start({ settings: { version: 1, endpoint: { enabled: true, host: '127.0.0.1', port: 8000, dropHostedTools: ['web_search'] } } });
  dir = await mkdtemp(join(tmpdir(), 'thinkcloud-codex-'));
});
after(async () => {
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** config.toml for a ThinkCloud provider at baseURL, with everything that reaches OpenAI switched off. */
function config(baseURL) {
  return `model = "deepseek-v4-pro"
model_provider = "thinkcloud"
check_for_update_on_startup = false

[analytics]
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"
metrics_exporter = "none"
trace_exporter = "none"

[features]
plugins = false

[model_providers.thinkcloud]
name = "ThinkCloud"
base_url = "${baseURL}"
env_key = "THINKCLOUD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

/** Runs codex exec in wd and resolves with its exit code and output. */
function codexExec(home, wd, lastMessage) {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_HOME: join(home, '.codex'),
    THINKCLOUD_API_KEY: 'sk-local-anything',
    // Any host but loopback goes to a port where nothing listens.
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    ALL_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    RUST_LOG: 'warn',
  };
  const args = [CODEX, 'exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--color', 'never', '-C', wd, '-o', lastMessage, PROMPT];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: wd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, out });
    });
  });
}

test('codex exec runs its shell tool through ThinkCloud and finishes with the answer', async () => {
  const home = join(dir, 'home');
  const wd = join(dir, 'work');
  await mkdir(join(home, '.codex'), { recursive: true });
  await mkdir(wd);
  await writeFile(join(home, '.codex', 'config.toml'), config(h.baseURL));
  const lastMessage = join(dir, 'last-message.txt');

  const { code, out } = await codexExec(home, wd, lastMessage);
  const context = `\n--- codex ---\n${out}\n${h.log()}`;
  if (process.env.CODEX_TEST_VERBOSE) console.log(context);
  assert.equal(code, 0, `codex exec failed${context}`);

  // The tool ran: Codex executed the command the fake asked for.
  assert.ok(existsSync(join(wd, FILE)), `${FILE} was not made${context}`);
  assert.equal((await readFile(join(wd, FILE), 'utf8')).trim(), 'codex-was-here');

  // The final answer is the fake's, made from the tool's output.
  const last = await readFile(lastMessage, 'utf8');
  assert.match(last, /^Tool said: /, `last message: ${last}${context}`);

  // What reached the provider: a tool loop, with the call's reasoning
  // restored from the encrypted_content Codex kept, and no web_search.
  const r = await fetch(`${h.fakes.deepseek.root}/_requests?path=/chat/completions`);
  const bodies = ((await r.json()) ?? []).map((rec) => JSON.parse(rec.body));
  const loop = bodies.find((b) => b.messages?.some((m) => m.role === 'tool'));
  assert.ok(loop, `the fake never saw the tool's output${context}`);
  const call = loop.messages.find((m) => m.role === 'assistant' && m.tool_calls);
  assert.equal(call.tool_calls[0].function.name, 'exec_command');
  assert.equal(call.reasoning_content, 'Let me think about this step by step.');
  const tool = loop.messages.find((m) => m.role === 'tool');
  assert.equal(tool.tool_call_id, call.tool_calls[0].id);
  for (const b of bodies) {
    assert.ok(!JSON.stringify(b.tools ?? []).includes('web_search'), 'web_search reached the provider');
  }
});
