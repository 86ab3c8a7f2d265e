// The Responses API through the official SDK: responses.create and
// responses.stream against `thinkcloud serve`, translated to chat
// completions for four providers and passed through to OpenAI's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { start, eventually } from './harness.mjs';

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

const TRANSLATED = [
  { model: 'deepseek-flash', kind: 'deepseek', upstream: 'deepseek-flash' },
  { model: 'qwen-3.8-27b', kind: 'cerebras', upstream: 'qwen-3.8-27b' },
  { model: 'qwen-plus', kind: 'dashscope', upstream: 'qwen-plus' },
  { model: 'kimi-k2.6', kind: 'kimi', upstream: 'kimi-k2.6' },
];

for (const m of TRANSLATED) {
  test(`create ${m.model}: text, usage, a response id ThinkCloud made`, async () => {
    const r = await h.client().responses.create({ model: m.model, input: 'hi', instructions: 'Be brief.' });
    assert.equal(r.object, 'response');
    assert.equal(r.status, 'completed');
    assert.match(r.id, /^resp_tc_/);
    assert.equal(r.output_text, `Hello from ${m.kind} (${m.upstream}).`);
    assert.equal(r.usage.input_tokens, 9);
    assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
    const sent = JSON.parse(await h.last(m.kind));
    assert.equal(sent.model, m.upstream);
    assert.deepEqual(sent.messages[0], { role: 'system', content: 'Be brief.' });
  });
}

test('create gpt-6-luna: passed through to OpenAI, which speaks the Responses API', async () => {
  const r = await h.client().responses.create({ model: 'gpt-6-luna', input: 'hi' });
  assert.equal(r.output_text, 'Hello from openai (gpt-6-luna) via /responses.');
  assert.equal(await h.lastAt('openai', '/responses'), JSON.stringify({ model: 'gpt-6-luna', input: 'hi' }));
});

for (const model of ['kimi-k3', 'gpt-6-luna']) {
  test(`responses.stream ${model}: the helper accepts every event, final response assembled`, async () => {
    const stream = h.client().responses.stream({ model, input: 'hi' });
    const types = [];
    let text = '';
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'response.output_text.delta') text += ev.delta;
    }
    const final = await stream.finalResponse();
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, text);
    assert.ok(text.startsWith('Hello from '), text);
    if (model === 'kimi-k3') {
      assert.ok(types.includes('response.reasoning_text.delta'), types.join(' '));
      assert.equal(final.output[0].type, 'reasoning');
      assert.equal(final.output[0].content[0].text, 'Let me think about this step by step.');
    }
  });
}

const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
const ask = 'trigger:call=get_weather trigger:args={"city":"Paris"}';

for (const m of [
  { model: 'deepseek-v4-pro', kind: 'deepseek' },
  { model: 'kimi-k3', kind: 'kimi' },
]) {
  test(`${m.model}: a tool round trip carries the reasoning back to the provider`, async () => {
    const client = h.client();
    const common = { model: m.model, tools: [weather], store: false, include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' } };
    const input = [{ role: 'user', content: ask }];
    const stream = client.responses.stream({ ...common, input });
    const first = await stream.finalResponse();
    const [reasoning, call] = first.output;
    assert.equal(reasoning.type, 'reasoning');
    assert.match(reasoning.encrypted_content, /^tc1_/);
    assert.equal(reasoning.summary[0].text, 'Let me think about this step by step.');
    assert.equal(call.type, 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });

    input.push(...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21°C' });
    const second = await client.responses.create({ ...common, input });
    assert.equal(second.output_text, 'Tool said: sunny, 21°C');
    const sent = JSON.parse(await h.last(m.kind));
    const assistant = sent.messages.find((x) => x.role === 'assistant');
    assert.equal(assistant.reasoning_content, 'Let me think about this step by step.', 'the reasoning reached the provider');
    assert.equal(assistant.tool_calls[0].id, call.call_id);
    assert.deepEqual(sent.messages.at(-1), { role: 'tool', tool_call_id: call.call_id, content: 'sunny, 21°C' });
  });
}

test('images reach the provider as image parts', async () => {
  const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  await h.client().responses.create({
    model: 'qwen-plus',
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'what is it?' }, { type: 'input_image', image_url: png, detail: 'auto' }] }],
  });
  const sent = JSON.parse(await h.last('dashscope'));
  assert.deepEqual(sent.messages[0].content, [
    { type: 'text', text: 'what is it?' },
    { type: 'image_url', image_url: { url: png } },
  ]);
});

test('an upstream error is the SDK exception of its status', async () => {
  await assert.rejects(h.client().responses.create({ model: 'deepseek-flash', input: 'trigger:402' }), (err) => {
    assert.ok(err instanceof OpenAI.APIError, String(err));
    assert.equal(err.status, 402);
    assert.match(err.message, /Insufficient Balance/);
    return true;
  });
});

test('a mid-stream failure ends the stream with response.failed', async () => {
  const stream = h.client().responses.stream({ model: 'deepseek-flash', input: 'trigger:miderror' });
  const types = [];
  for await (const ev of stream) types.push(ev.type);
  assert.equal(types.at(-1), 'response.failed');
  const final = await stream.finalResponse();
  assert.equal(final.status, 'failed');
  assert.match(final.error.message, /Internal error while generating/);
});

test('a hosted tool is refused by name', async () => {
  await assert.rejects(h.client().responses.create({ model: 'deepseek-flash', input: 'x', tools: [{ type: 'web_search' }] }), (err) => {
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.match(err.message, /web_search/);
    assert.equal(err.code, 'unsupported_tool');
    return true;
  });
});

test('aborting a stream cancels the provider call', async () => {
  const before = (await h.stats('dashscope')).cancelled;
  const controller = new AbortController();
  const stream = h.client().responses.stream({ model: 'qwen-plus', input: 'trigger:slow' }, { signal: controller.signal });
  await assert.rejects(
    (async () => {
      for await (const ev of stream) {
        if (ev.type === 'response.output_text.delta') controller.abort();
      }
    })(),
  );
  // A generous bound for a loaded machine; what is asserted is the cancel.
  const cancelled = await eventually(async () => (await h.stats('dashscope')).cancelled > before, 10_000);
  assert.ok(cancelled, `the fake never saw the cancel\n${h.log()}`);
});

test('previous_response_id continues a stored response, and says when it expired', async () => {
  const client = h.client();
  const first = await client.responses.create({ model: 'deepseek-v4-pro', input: 'first question' });
  const second = await client.responses.create({ model: 'deepseek-v4-pro', input: 'second question', previous_response_id: first.id });
  assert.equal(second.previous_response_id, first.id);
  const sent = JSON.parse(await h.last('deepseek'));
  assert.deepEqual(
    sent.messages.map((x) => [x.role, x.content, x.reasoning_content]),
    [
      ['user', 'first question', undefined],
      ['assistant', 'Hello from deepseek (deepseek-v4-pro).', 'Let me think about this step by step.'],
      ['user', 'second question', undefined],
    ],
  );
  // Responses live in memory: after a restart the id is gone, and the
  // client is told so, and what to do instead.
  await h.restartServe();
  await assert.rejects(h.client().responses.create({ model: 'deepseek-v4-pro', input: 'third', previous_response_id: second.id }), (err) => {
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.equal(err.code, 'previous_response_expired');
    assert.equal(err.param, 'previous_response_id');
    assert.match(err.message, /has expired.*not across restarts/);
    return true;
  });
});

test('retrieve, inputItems.list and delete a translated response', async () => {
  const c = h.client();
  const r = await c.responses.create({ model: 'qwen-plus', input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] });
  const got = await c.responses.retrieve(r.id);
  assert.equal(got.id, r.id);
  assert.equal(got.output_text, r.output_text);
  const texts = [];
  for await (const item of c.responses.inputItems.list(r.id, { order: 'asc', limit: 1 })) texts.push(item.content[0].text);
  assert.deepEqual(texts, ['one', 'two'], 'the SDK pages through both input items, one per page');
  const del = await c.responses.delete(r.id);
  assert.deepEqual(del, { id: r.id, object: 'response', deleted: true });
  await assert.rejects(c.responses.retrieve(r.id), (e) => e.status === 404 && e.code === 'response_not_found');
});
