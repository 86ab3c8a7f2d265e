// The Anthropic Messages door through the official @anthropic-ai/sdk, in
// both of its modes: DeepSeek, Kimi and DashScope passed through to their
// own Anthropic APIs ("native"), and translated to chat completions (the
// user's "translate" setting; OpenAI and Cerebras always are).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { start, eventually } from './harness.mjs';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const translate = { anthropicAPI: 'translate', enabled: true };
const MODES = {
  native: {},
  translated: { version: 1, providers: { deepseek: translate, kimi: translate, dashscope: translate } },
};
const weather = {
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const [mode, settings] of Object.entries(MODES)) {
  describe(`messages, ${mode}`, () => {
    let h;
    before(async () => {
      h = await start({ settings: mode === 'native' ? undefined : settings });
    });
    after(async () => {
      await h?.stop();
    });
    const native = mode === 'native';

    test('plain text, and the answer names the model that ran', async () => {
      const msg = await h.anthropic().messages.create({
        model: 'deepseek-flash',
        max_tokens: 256,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.equal(msg.type, 'message');
      assert.equal(msg.role, 'assistant');
      assert.equal(msg.stop_reason, 'end_turn');
      const text = native ? "Hello from deepseek's Anthropic API (deepseek-flash)." : 'Hello from deepseek (deepseek-flash).';
      assert.equal(msg.content.length, 1);
      assert.equal(msg.content[0].type, 'text');
      assert.equal(msg.content[0].text, text);
      assert.equal(msg.model, 'deepseek-flash');
      assert.match(msg._request_id ?? '', /^req_/, 'request-id reaches the SDK');
      assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, JSON.stringify(msg.usage));
    });

    test('messages.stream: text events, final message', async () => {
      const stream = h.anthropic().messages.stream({
        model: 'claude-sonnet-4-5', // the sonnet tier: deepseek-flash by default
        max_tokens: 256,
        messages: [{ role: 'user', content: 'hi' }],
      });
      let text = '';
      stream.on('text', (t) => (text += t));
      const msg = await stream.finalMessage();
      const want = native ? "Hello from deepseek's Anthropic API (deepseek-flash)." : 'Hello from deepseek (deepseek-flash).';
      assert.equal(text, want);
      assert.equal(msg.content.at(-1).text, want);
      assert.equal(msg.stop_reason, 'end_turn');
    });

    for (const model of ['deepseek-flash', 'kimi-k3']) {
      const kind = model.split('-')[0];
      test(`tool round trip with thinking on, ${model}: the thinking comes back to the provider`, async () => {
        const client = h.anthropic();
        const base = { model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, tools: [weather] };
        const history = [{ role: 'user', content: 'What is the weather in Paris? trigger:toolloop' }];
        const first = await client.messages.create({ ...base, messages: history });
        assert.equal(first.stop_reason, 'tool_use');
        const thinking = first.content.find((b) => b.type === 'thinking');
        const call = first.content.find((b) => b.type === 'tool_use');
        assert.ok(thinking?.signature, `no signed thinking block: ${JSON.stringify(first.content)}`);
        assert.deepEqual(call.input, { city: 'Paris' });
        assert.equal(call.name, 'get_weather');
        history.push({ role: 'assistant', content: first.content });
        history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18°C, cloudy' }] });
        const final = await client.messages.stream({ ...base, messages: history }).finalMessage();
        assert.equal(final.content.at(-1).text, 'The tool said: 18°C, cloudy');
        if (native) {
          // Passed through: the provider's own thinking block, signature and all.
          const { body } = await h.lastMessages(kind);
          assert.deepEqual(body.messages[1].content[0], { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature });
        } else {
          const sent = JSON.parse(await h.last(kind));
          assert.equal(sent.messages[1].reasoning_content, thinking.thinking);
          assert.equal(sent.messages[1].tool_calls[0].id, call.id);
          assert.equal(sent.messages[2].role, 'tool');
        }
      });
    }

    test('images, base64 and URL', async () => {
      const model = native ? 'qwen-plus' : 'gpt-6-luna';
      const kind = native ? 'dashscope' : 'openai';
      const msg = await h.anthropic().messages.create({
        model,
        max_tokens: 256,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
              { type: 'text', text: 'What is in these?' },
            ],
          },
        ],
      });
      assert.equal(msg.stop_reason, 'end_turn');
      if (native) {
        const { body } = await h.lastMessages(kind);
        assert.equal(body.messages[0].content[0].source.data, PNG);
      } else {
        const sent = JSON.parse(await h.last(kind));
        assert.deepEqual(
          sent.messages[0].content.map((p) => p.image_url?.url ?? p.text),
          [`data:image/png;base64,${PNG}`, 'https://example.com/cat.jpg', 'What is in these?'],
        );
      }
    });

    test('upstream errors raise the right error classes', async () => {
      const client = h.anthropic({ maxRetries: 0 });
      const ask = (model, content) => client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content }] });
      await assert.rejects(ask('gpt-6-luna', 'trigger:402'), (e) => e instanceof Anthropic.APIError && e.status === 402 && e.error?.error?.type === 'billing_error');
      await assert.rejects(ask('gpt-6-luna', 'trigger:quota'), Anthropic.RateLimitError);
      await assert.rejects(ask('no-such-model', 'hi'), Anthropic.NotFoundError);
      await assert.rejects(ask('deepseek-flash', 'trigger:500'), Anthropic.InternalServerError);
      await assert.rejects(
        client.messages.create({ model: 'gpt-6-luna', max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'hologram' }] }] }),
        (e) => e instanceof Anthropic.BadRequestError && /hologram/.test(e.message),
      );
      // A provider that breaks off mid-stream: the SDK raises, never a
      // message that looks complete.
      const cut = client.messages.stream({ model: 'gpt-6-luna', max_tokens: 16, messages: [{ role: 'user', content: 'trigger:miderror' }] });
      await assert.rejects(cut.finalMessage(), Anthropic.APIError);
    });

    test('an aborted stream cancels the provider call', async () => {
      for (const [model, kind] of [
        ['gpt-6-luna', 'openai'],
        ['deepseek-flash', 'deepseek'],
      ]) {
        const before = (await h.stats(kind)).cancelled;
        const stream = h.anthropic().messages.stream({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'trigger:slow' }] });
        await new Promise((resolve, reject) => {
          stream.on('text', resolve);
          stream.on('error', reject);
        });
        const ended = stream.done().catch((e) => e); // an abort rejects it
        stream.abort();
        assert.ok((await ended) instanceof Anthropic.APIUserAbortError);
        const cancelled = await eventually(async () => (await h.stats(kind)).cancelled > before, 10_000);
        assert.ok(cancelled, `${model}: the provider call was not cancelled after the abort\n${h.log()}`);
      }
    });

    test('count_tokens counts tools and images', async () => {
      const client = h.anthropic();
      const messages = [{ role: 'user', content: 'How warm is it in Paris today?' }];
      const plain = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages });
      const tools = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages, tools: [weather] });
      assert.ok(plain.input_tokens > 0 && tools.input_tokens > plain.input_tokens, `${plain.input_tokens} ${tools.input_tokens}`);
    });

    test('models.list in Anthropic shape', async () => {
      const ids = [];
      for await (const m of h.anthropic().models.list({ limit: 10 })) {
        assert.equal(m.type, 'model');
        assert.ok(m.display_name && m.created_at);
        ids.push(m.id);
      }
      assert.ok(ids.includes('deepseek-flash') && ids.includes('gpt-6-luna'), ids.join(' '));
    });
  });
}
