// Chat completions, streamed and not, through the official SDK, for a
// model of each of the five providers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

// One model per provider, and the upstream id the fake echoes back.
const MODELS = [
  { model: 'deepseek-flash', kind: 'deepseek', upstream: 'deepseek-flash' },
  { model: 'gpt-6-luna', kind: 'openai', upstream: 'gpt-6-luna' },
  { model: 'qwen-3.8-27b', kind: 'cerebras', upstream: 'qwen-3.8-27b' },
  { model: 'qwen-plus', kind: 'dashscope', upstream: 'qwen-plus' },
  { model: 'kimi-k2.6', kind: 'kimi', upstream: 'kimi-k2.6' },
];
const answer = (m) => `Hello from ${m.kind} (${m.upstream}).`;
const hi = [{ role: 'user', content: 'hi' }];

for (const m of MODELS) {
  test(`non-stream ${m.model}: content and usage`, async () => {
    const c = await h.client().chat.completions.create({ model: m.model, messages: hi });
    assert.equal(c.object, 'chat.completion');
    assert.equal(c.choices.length, 1);
    assert.equal(c.choices[0].message.role, 'assistant');
    assert.equal(c.choices[0].message.content, answer(m));
    assert.equal(c.choices[0].finish_reason, 'stop');
    assert.equal(c.usage.prompt_tokens, 9);
    assert.equal(c.usage.completion_tokens, answer(m).split(' ').length);
    assert.equal(c.usage.total_tokens, c.usage.prompt_tokens + c.usage.completion_tokens);
    assert.match(c._request_id ?? '', /^req_/, 'x-request-id reaches the SDK');
  });
}

test('non-stream deepseek-v4-pro: reasoning_content on the message', async () => {
  const c = await h.client().chat.completions.create({ model: 'deepseek-v4-pro', messages: hi });
  assert.equal(c.choices[0].message.content, 'Hello from deepseek (deepseek-v4-pro).');
  assert.equal(c.choices[0].message.reasoning_content, 'Let me think about this step by step.');
  // DeepSeek's own usage extras pass through.
  assert.equal(c.usage.prompt_cache_miss_tokens, 9);
});

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function assemble(chunks) {
  return chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
}

for (const m of MODELS) {
  test(`stream ${m.model}: role first, content assembled, finish_reason stop, no empty-choices chunk`, async () => {
    const stream = await h.client().chat.completions.create({ model: m.model, messages: hi, stream: true });
    const chunks = await collect(stream);
    assert.ok(chunks.length >= 3, `only ${chunks.length} chunks`);
    for (const c of chunks) assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.equal(assemble(chunks), answer(m));
    const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
    assert.deepEqual(finishes, ['stop']);
    // Without include_usage no chunk with "choices": [] may reach a client:
    // plenty of code indexes choices[0] unguarded.
    const empty = chunks.filter((c) => c.choices.length === 0);
    assert.equal(empty.length, 0, `empty-choices chunks: ${JSON.stringify(empty)}`);
  });

  test(`stream ${m.model} with include_usage: a final empty-choices chunk carries usage`, async () => {
    const stream = await h.client().chat.completions.create({
      model: m.model,
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    assert.equal(assemble(chunks), answer(m));
    const last = chunks.at(-1);
    // Completion tokens count the reasoning too (Kimi K2.6 thinks unless
    // switched off, as the real one does).
    const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('');
    const want = answer(m).split(' ').length + (reasoning ? reasoning.split(' ').length : 0);
    // The OpenAI shape for every provider: a final chunk with empty
    // choices and usage. For Kimi (usage inside choices[0]) and Cerebras
    // (usage on the finish chunk) the gateway builds it.
    assert.deepEqual(last.choices, [], `last chunk: ${JSON.stringify(last)}`);
    assert.equal(last.usage.prompt_tokens, 9);
    assert.equal(last.usage.completion_tokens, want);
    assert.equal(last.usage.total_tokens, 9 + want);
    assert.equal(chunks.filter((c) => c.choices.length === 0).length, 1, 'exactly one usage chunk');
  });
}

test('stream kimi-k3 with include_usage: reasoning deltas and the synthesised usage chunk', async () => {
  const stream = await h.client().chat.completions.create({
    model: 'kimi-k3',
    messages: hi,
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = await collect(stream);
  const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('');
  assert.equal(reasoning, 'Let me think about this step by step.');
  assert.equal(assemble(chunks), 'Hello from kimi (kimi-k3).');
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.completion_tokens, 4 + 8);
  assert.equal(last.id, chunks[0].id, 'usage chunk keeps the stream id');
  assert.equal(last.model, chunks[0].model);
});

test('stream deepseek-v4-pro: reasoning_content deltas survive the keep-alive', async () => {
  const stream = await h.client().chat.completions.create({ model: 'deepseek-v4-pro', messages: hi, stream: true });
  const chunks = await collect(stream);
  const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('');
  assert.equal(reasoning, 'Let me think about this step by step.');
  assert.equal(assemble(chunks), 'Hello from deepseek (deepseek-v4-pro).');
});

test('chat.completions.stream() helper with tools: finalChatCompletion() has the tool call', async () => {
  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  const stream = h.client().chat.completions.stream({
    model: 'gpt-6-luna',
    messages: [{ role: 'user', content: 'weather in Paris? trigger:tools' }],
    tools,
  });
  const doneArgs = [];
  stream.on('tool_calls.function.arguments.done', (e) => doneArgs.push(e.arguments));
  const final = await stream.finalChatCompletion();
  const msg = final.choices[0].message;
  assert.equal(final.choices[0].finish_reason, 'tool_calls');
  assert.equal(msg.tool_calls.length, 1);
  assert.equal(msg.tool_calls[0].id, 'call_fake1');
  assert.equal(msg.tool_calls[0].type, 'function');
  assert.equal(msg.tool_calls[0].function.name, 'get_weather');
  assert.equal(msg.tool_calls[0].function.arguments, '{"city":"Paris"}');
  assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'Paris' });
  assert.deepEqual(doneArgs, ['{"city":"Paris"}']);
});

test('chat.completions.stream() helper: finalContent() and totalUsage', async () => {
  const stream = h.client().chat.completions.stream({
    model: 'deepseek-flash',
    messages: hi,
    stream_options: { include_usage: true },
  });
  assert.equal(await stream.finalContent(), 'Hello from deepseek (deepseek-flash).');
  const final = await stream.finalChatCompletion();
  assert.equal(final.usage.total_tokens, 9 + 4);
});
