// GET /v1/models and /v1/models/{id} through the official SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { start, builtinCatalog, eventually } from './harness.mjs';

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

// Models the fakes list that the built-in catalog lacks: the live refresh
// must add them. OpenAI's non-chat models must stay out.
const LIVE_ONLY = ['gpt-oss-120b', 'gpt-4.1', 'o3-mini', 'kimi-latest'];
const NOT_CHAT = ['text-embedding-3-small', 'whisper-1', 'dall-e-3', 'gpt-6-luna-realtime-preview', 'tts-1'];

async function listIDs(client) {
  const models = [];
  for await (const m of client.models.list()) models.push(m);
  return models;
}

test('models.list() has every built-in id and the live-fetched ones', async () => {
  const client = h.client();
  const builtin = builtinCatalog().models.map((m) => m.id);
  assert.equal(builtin.length, 35, 'builtin.json changed size; update this test');
  // The live refresh runs in the background at start.
  let models = [];
  await eventually(async () => {
    models = await listIDs(client);
    const ids = new Set(models.map((m) => m.id));
    return LIVE_ONLY.every((id) => ids.has(id));
  });
  const ids = models.map((m) => m.id);
  for (const id of [...builtin, ...LIVE_ONLY]) assert.ok(ids.includes(id), `missing ${id} in ${ids.join(', ')}`);
  for (const id of NOT_CHAT) assert.ok(!ids.includes(id), `${id} is not a chat model but is listed`);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids in the list');
  for (const m of models) {
    assert.equal(m.object, 'model');
    assert.equal(typeof m.id, 'string');
    assert.equal(typeof m.created, 'number');
    assert.equal(typeof m.owned_by, 'string');
  }
});

test('models.retrieve() of a bare id and of a provider/model id', async () => {
  const client = h.client();
  const m = await client.models.retrieve('deepseek-flash');
  assert.equal(m.id, 'deepseek-flash');
  assert.equal(m.object, 'model');
  assert.equal(m.owned_by, 'deepseek');
  // The SDK sends the slash percent-encoded (/v1/models/deepseek%2Fdeepseek-flash).
  const s = await client.models.retrieve('deepseek/deepseek-flash');
  assert.equal(s.id, 'deepseek/deepseek-flash');
  assert.equal(s.object, 'model');
  assert.equal(s.owned_by, 'deepseek');
  // An id the catalog maps to another upstream id.
  const l = await client.models.retrieve('qwen-3.8-27b');
  assert.equal(l.id, 'qwen-3.8-27b');
});

test('unknown model: retrieve and chat both raise NotFoundError', async () => {
  const client = h.client({ maxRetries: 0 });
  await assert.rejects(client.models.retrieve('no-such-model-xyz'), (err) => {
    assert.ok(err instanceof OpenAI.NotFoundError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 404);
    assert.equal(err.code, 'model_not_found');
    return true;
  });
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model-xyz', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.param, 'model');
      assert.equal(err.code, 'model_not_found');
      return true;
    },
  );
});
