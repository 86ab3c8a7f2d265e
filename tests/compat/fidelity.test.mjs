// What the SDK sends reaches the provider unchanged, byte for byte, except
// the model id the catalog maps to the provider's own.
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

// A 1×1 PNG.
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A client that keeps the body of every request it sends. */
function recordingClient() {
  const sent = [];
  const client = h.client({
    maxRetries: 0,
    fetch: async (url, init) => {
      if (init?.body) sent.push(String(init.body));
      return fetch(url, init);
    },
  });
  return { client, sent };
}

const params = {
  temperature: 0,
  seed: 42,
  top_p: 1,
  max_tokens: 64,
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: false,
      },
    },
  ],
  tool_choice: 'auto',
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'answer', schema: { type: 'object', properties: { text: { type: 'string' } } } },
  },
  // Provider switches no OpenAI type knows about.
  enable_thinking: true,
  thinking: { type: 'enabled' },
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture? Ünïcödé ✓ "quoted" \\ slash' },
        { type: 'image_url', image_url: { url: PNG, detail: 'low' } },
      ],
    },
  ],
};

test('every field reaches the provider exactly; only the model id is rewritten (qwen-3.8-27b → qwen-3.8-27b)', async () => {
  const { client, sent } = recordingClient();
  const c = await client.chat.completions.create({ model: 'qwen-3.8-27b', ...params });
  assert.equal(c.choices[0].message.content, 'Hello from cerebras (qwen-3.8-27b).');
  assert.equal(sent.length, 1);
  const raw = await h.last('cerebras');
  const got = JSON.parse(raw);
  assert.equal(got.model, 'qwen-3.8-27b');
  assert.ok('temperature' in got, 'temperature 0 was dropped');
  assert.equal(got.temperature, 0);
  for (const k of ['seed', 'top_p', 'max_tokens', 'tools', 'tool_choice', 'response_format', 'enable_thinking', 'thinking', 'messages']) {
    assert.deepEqual(got[k], params[k], `${k} changed on the way`);
  }
  assert.deepEqual(Object.keys(got).sort(), ['model', ...Object.keys(params)].sort(), 'fields added or dropped');
  // Byte for byte: the SDK's body with only the model value replaced.
  assert.equal(raw, sent[0].replace('"model":"qwen-3.8-27b"', '"model":"qwen-3.8-27b"'));
});

test('a streamed request reaches the provider exactly too (model id unchanged)', async () => {
  const { client, sent } = recordingClient();
  const stream = await client.chat.completions.create({
    model: 'qwen-plus',
    ...params,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let reasoning = '';
  for await (const c of stream) {
    text += c.choices[0]?.delta?.content ?? '';
    reasoning += c.choices[0]?.delta?.reasoning_content ?? '';
  }
  assert.equal(text, 'Hello from dashscope (qwen-plus).');
  // enable_thinking reached DashScope: its fake thinks aloud only then.
  assert.equal(reasoning, 'Let me think about this step by step.');
  const raw = await h.last('dashscope');
  assert.equal(raw, sent[0]);
  const got = JSON.parse(raw);
  assert.equal(got.enable_thinking, true);
  assert.deepEqual(got.stream_options, { include_usage: true });
});

test('a provider/model id goes upstream as the bare model id', async () => {
  const { client, sent } = recordingClient();
  const c = await client.chat.completions.create({
    model: 'deepseek/deepseek-flash',
    temperature: 0,
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.equal(c.choices[0].message.content, 'Hello from deepseek (deepseek-flash).');
  const raw = await h.last('deepseek');
  assert.equal(raw, sent[0].replace('"model":"deepseek/deepseek-flash"', '"model":"deepseek-flash"'));
  assert.equal(JSON.parse(raw).temperature, 0);
});
