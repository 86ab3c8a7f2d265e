// Provider and gateway errors become the SDK's typed exceptions; retries
// and cancellation behave as they would against the provider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { start, eventually, countRequests } from './harness.mjs';

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

const say = (content) => [{ role: 'user', content }];

test('trigger:402 → APIError 402, neither gateway nor SDK retries', async () => {
  // Default client: the SDK does not retry 402, so the count is the gateway's.
  for (const stream of [false, true]) {
    const { n, error } = await countRequests(h, 'deepseek', () =>
      h.client().chat.completions.create({ model: 'deepseek-flash', messages: say('trigger:402'), stream }),
    );
    assert.ok(error instanceof OpenAI.APIError, `stream=${stream}: got ${error}`);
    assert.equal(error.status, 402);
    // 402 has no SDK subclass of its own.
    assert.equal(error.constructor, OpenAI.APIError);
    assert.match(error.message, /Insufficient Balance/);
    assert.match(error.requestID ?? '', /^req_/);
    assert.equal(n, 1, `stream=${stream}: fake saw ${n} requests`);
  }
});

test('trigger:quota on kimi → RateLimitError 429, the gateway does not retry it', async () => {
  const { n, error } = await countRequests(h, 'kimi', () =>
    h.client({ maxRetries: 0 }).chat.completions.create({ model: 'kimi-k3', messages: say('trigger:quota') }),
  );
  assert.ok(error instanceof OpenAI.RateLimitError, `got ${error}`);
  assert.equal(error.status, 429);
  assert.equal(error.type, 'exceeded_current_quota_error');
  assert.match(error.message, /suspended/);
  assert.equal(n, 1, `the gateway retried a quota error: fake saw ${n} requests`);
});

test('trigger:quota on kimi with default SDK retries: the SDK is told not to retry either', async () => {
  const { n, error } = await countRequests(h, 'kimi', () =>
    h.client().chat.completions.create({ model: 'kimi-k3', messages: say('trigger:quota') }),
  );
  assert.ok(error instanceof OpenAI.RateLimitError);
  assert.equal(error.headers.get('x-should-retry'), 'false');
  assert.equal(n, 1, `fake saw ${n} requests`);
});

test('trigger:429x2 succeeds after the gateway retries: fake saw 3, SDK saw one success', async () => {
  // maxRetries 0: any 429 reaching the SDK would throw.
  const { n, error, result } = await countRequests(h, 'openai', () =>
    h
      .client({ maxRetries: 0 })
      .chat.completions.create({ model: 'gpt-6-luna', messages: say('trigger:429x2') })
      .withResponse(),
  );
  assert.ifError(error);
  assert.equal(result.response.status, 200);
  assert.equal(result.data.choices[0].message.content, 'Hello from openai (gpt-6-luna).');
  assert.equal(n, 3, `fake saw ${n} requests`);
});

test('trigger:503 after gateway retries: InternalServerError with x-should-retry: false', async () => {
  const { n, error } = await countRequests(h, 'dashscope', () =>
    h.client().chat.completions.create({ model: 'qwen-plus', messages: say('trigger:503') }),
  );
  assert.ok(error instanceof OpenAI.InternalServerError, `got ${error}`);
  assert.equal(error.status, 503);
  assert.equal(error.headers.get('x-should-retry'), 'false');
  // 1 try + 2 gateway retries; the default SDK (maxRetries 2) obeyed the header.
  assert.equal(n, 3, `fake saw ${n} requests`);
});

test('temperature 3 → BadRequestError naming param temperature, nothing sent upstream', async () => {
  const { n, error } = await countRequests(h, 'deepseek', () =>
    h.client().chat.completions.create({ model: 'deepseek-flash', messages: say('hi'), temperature: 3 }),
  );
  assert.ok(error instanceof OpenAI.BadRequestError, `got ${error}`);
  assert.equal(error.status, 400);
  assert.equal(error.param, 'temperature');
  assert.equal(error.type, 'invalid_request_error');
  assert.equal(n, 0);
});

test('an aborted stream cancels the upstream call', async () => {
  const before = await h.stats('deepseek');
  const ac = new AbortController();
  // trigger:endless streams until its client leaves: only a cancel that
  // reaches the fake ends it, however long that takes on a busy machine.
  const stream = await h.client({ maxRetries: 0 }).chat.completions.create(
    { model: 'deepseek-flash', messages: say('trigger:endless'), stream: true },
    { signal: ac.signal },
  );
  let chunks = 0;
  // The SDK ends the iteration quietly (or with an abort error) once the
  // signal fires.
  try {
    for await (const _ of stream) {
      chunks++;
      if (chunks === 1) ac.abort();
    }
  } catch (err) {
    assert.ok(err instanceof OpenAI.APIUserAbortError || err?.name === 'AbortError', `got ${err}`);
  }
  assert.ok(chunks <= 2, `iteration went on for ${chunks} chunks after the abort`);
  const after = await eventually(async () => {
    const s = await h.stats('deepseek');
    return s.cancelled > before.cancelled ? s : null;
  });
  assert.ok(after, `upstream not cancelled after the abort\n${h.log()}`);
  assert.equal(after.cancelled, before.cancelled + 1);
  assert.equal(after.completed, before.completed, 'the upstream stream ran to its end');
});

test('an aborted non-streaming request cancels the upstream call (trigger:hang)', async () => {
  const before = await h.stats('openai');
  const ac = new AbortController();
  const p = h
    .client({ maxRetries: 0 })
    .chat.completions.create({ model: 'gpt-6-luna', messages: say('trigger:hang') }, { signal: ac.signal });
  // Abort once the fake holds the request.
  const arrived = await eventually(async () => (await h.stats('openai')).requests > before.requests);
  assert.ok(arrived);
  ac.abort();
  await assert.rejects(p, (err) => err instanceof OpenAI.APIUserAbortError);
  const after = await eventually(async () => {
    const s = await h.stats('openai');
    return s.cancelled > before.cancelled ? s : null;
  });
  assert.ok(after, `upstream not cancelled after the abort\n${h.log()}`);
});

test('a stream cut upstream ends with an error, not a clean finish', async () => {
  const stream = await h
    .client({ maxRetries: 0 })
    .chat.completions.create({ model: 'gpt-6-luna', messages: say('trigger:cut'), stream: true });
  let text = '';
  await assert.rejects(
    (async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    })(),
    (err) => err instanceof OpenAI.APIError && /stream broke off/.test(err.message),
  );
  assert.equal(text, 'Hello from');
});

test("a provider's mid-stream error event surfaces as APIError with the provider's words", async () => {
  const stream = await h
    .client({ maxRetries: 0 })
    .chat.completions.create({ model: 'gpt-6-luna', messages: say('trigger:miderror'), stream: true });
  let text = '';
  await assert.rejects(
    (async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    })(),
    (err) => err instanceof OpenAI.APIError && /Internal error while generating/.test(err.message),
  );
  assert.equal(text, 'Hello');
});
