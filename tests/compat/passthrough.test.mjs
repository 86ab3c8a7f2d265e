// Embeddings and legacy completions through the official SDK: passed
// through to the providers the catalog says serve them, model rewritten.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { start } from './harness.mjs';

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

for (const m of [
  { model: 'openai/text-embedding-3-small', kind: 'openai', upstream: 'text-embedding-3-small' },
  { model: 'dashscope/text-embedding-v4', kind: 'dashscope', upstream: 'text-embedding-v4' },
]) {
  test(`embeddings ${m.model}: vectors decoded by the SDK, model rewritten`, async () => {
    const r = await h.client().embeddings.create({ model: m.model, input: ['one', 'two words'] });
    assert.equal(r.object, 'list');
    assert.equal(r.data.length, 2);
    assert.equal(r.data[1].index, 1);
    assert.equal(r.data[0].embedding.length, 8);
    assert.ok(r.data[0].embedding.every((x) => typeof x === 'number'));
    const sent = JSON.parse(await h.lastAt(m.kind, '/embeddings'));
    assert.equal(sent.model, m.upstream);
    assert.equal(sent.encoding_format, 'base64', 'the SDK default reaches the provider');
  });
}

test('embeddings for a provider without them: 404 naming it', async () => {
  await assert.rejects(h.client().embeddings.create({ model: 'kimi-k2.6', input: 'x' }), (err) => {
    assert.ok(err instanceof OpenAI.NotFoundError, String(err));
    assert.match(err.message, /kimi, which has no embeddings API/);
    return true;
  });
});

test("completions deepseek-flash: DeepSeek's fill-in-the-middle under /beta", async () => {
  const r = await h.client().completions.create({ model: 'deepseek-flash', prompt: 'def fib(a):', suffix: '    return fib(a-1)', max_tokens: 64 });
  assert.equal(r.object, 'text_completion');
  assert.equal(r.choices[0].text, '/* between 11 and 19 chars */');
  const sent = JSON.parse(await h.lastAt('deepseek', '/beta/completions'));
  assert.equal(sent.suffix, '    return fib(a-1)');
});

test('completions streamed', async () => {
  const stream = await h.client().completions.create({ model: 'deepseek-flash', prompt: 'x', stream: true });
  let text = '';
  let finish = null;
  for await (const c of stream) {
    text += c.choices[0]?.text ?? '';
    finish = c.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, '/* between 1 and 0 chars */');
  assert.equal(finish, 'stop');
});

test('an unknown /v1 path: 404 that lists the API, without telling a /v1 caller to use /v1', async () => {
  const r = await fetch(`${h.baseURL}/frobnicate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 404);
  const body = await r.json();
  assert.equal(body.error.code, 'unknown_url');
  assert.match(body.error.message, /POST \/v1\/responses/);
  assert.doesNotMatch(body.error.message, /lives under \/v1/);
});
