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
const LIVE_ONLY = ['gpt-5.5'];
const NOT_CHAT = ['text-embedding-3-small', 'whisper-1', 'gpt-image-2', 'gpt-realtime', 'tts-1'];

/** Built-in models retired today: their shutdown date has come, or the catalog says so. */
function retired(m) {
  const today = new Date().toISOString().slice(0, 10);
  return m.retired === true || (typeof m.shutdown === 'string' && m.shutdown <= today);
}

async function listIDs(client) {
  const models = [];
  for await (const m of client.models.list()) models.push(m);
  return models;
}

test('models.list() has every built-in id not retired and the live-fetched ones', async () => {
  const client = h.client();
  const all = builtinCatalog().models;
  assert.ok(all.length >= 35, 'builtin.json lost seed ids');
  const builtin = all.filter((m) => !retired(m)).map((m) => m.id);
  const gone = all.filter(retired).map((m) => m.id);
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
  for (const id of gone) assert.ok(!ids.includes(id), `${id} is retired but listed`);
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
  const l = await client.models.retrieve('qwen-3-7b');
  assert.equal(l.id, 'qwen-3-7b');
  assert.equal(l.upstream_id, 'qwen3-8b');
});

test('retired model: retrieve and chat raise NotFoundError with code model_retired', async () => {
  const client = h.client({ maxRetries: 0 });
  const want = 'gpt-4-turbo was shut down by OpenAI on 2026-10-23; use gpt-6.1-sol or gpt-6.2-sol';
  for (const call of [
    () => client.models.retrieve('gpt-4-turbo'),
    () => client.chat.completions.create({ model: 'gpt-4-turbo', messages: [{ role: 'user', content: 'hi' }] }),
  ]) {
    await assert.rejects(call(), (err) => {
      assert.ok(err instanceof OpenAI.NotFoundError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.code, 'model_retired');
      assert.equal(err.error?.message ?? err.message.replace(/^404 /, ''), want);
      return true;
    });
  }
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
