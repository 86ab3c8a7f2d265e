// Aliases and fallback chains through the official SDK: a chain whose
// first provider is down answers from the second, and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { start } from './harness.mjs';

const CHAIN = ['kimi/kimi-k2.7-code', 'deepseek/deepseek-v4-pro', 'dashscope/qwen3-coder-flash'];

// A loopback port nothing listens on: bound, then closed.
function deadPort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let h;
before(async () => {
  const port = await deadPort();
  h = await start({
    settings: { version: 1, aliases: [{ name: 'coder', models: CHAIN }, { name: 'fast', models: ['cerebras/gpt-oss-120b'] }] },
    env: { KIMI_BASE_URL: `http://127.0.0.1:${port}/v1` },
  });
});
after(async () => {
  await h?.stop();
});

test('a chain whose first provider is down answers from the second (non-streaming)', async () => {
  const client = h.client({ maxRetries: 0 });
  const { data, response } = await client.chat.completions
    .create({ model: 'coder', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  assert.equal(response.headers.get('x-thinkcloud-model'), 'deepseek/deepseek-v4-pro', h.log());
  assert.equal(data.model, 'deepseek-v4-pro');
  assert.match(data.choices[0].message.content, /deepseek-v4-pro/);
});

test('a chain whose first provider is down answers from the second (streaming)', async () => {
  const client = h.client({ maxRetries: 0 });
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'coder', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  assert.equal(response.headers.get('x-thinkcloud-model'), 'deepseek/deepseek-v4-pro', h.log());
  let text = '';
  const models = new Set();
  for await (const chunk of stream) {
    models.add(chunk.model);
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.deepEqual([...models], ['deepseek-v4-pro']);
  assert.match(text, /deepseek-v4-pro/);
});

test('aliases are listed with their chain and resolve by id', async () => {
  const client = h.client();
  const ids = [];
  for await (const m of client.models.list()) ids.push(m);
  const coder = ids.find((m) => m.id === 'coder');
  assert.ok(coder, 'coder missing from models.list()');
  assert.equal(coder.source, 'alias');
  assert.deepEqual(coder.chain, CHAIN);
  const fast = await client.models.retrieve('fast');
  assert.equal(fast.id, 'fast');
  assert.equal(fast.provider, 'cerebras');
});
