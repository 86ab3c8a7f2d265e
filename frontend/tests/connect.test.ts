import { describe, expect, it } from 'vitest';
import {
  ANY_KEY,
  TOKEN_PLACEHOLDER,
  TOOL_IDS,
  connectSnippets,
  endpointAddress,
  initialModel,
  pickerKind,
  type ConnectInput,
  type ToolId,
} from '../src/lib/connect';

const base: ConnectInput = {
  host: '127.0.0.1',
  port: 8123,
  requireToken: false,
  token: '',
  model: 'qwen-plus',
  tier: 'sonnet',
};

const code = (tool: ToolId, over: Partial<ConnectInput> = {}, block = 0): string =>
  connectSnippets(tool, { ...base, ...over })[block]!.code;

// No TOML or YAML parser ships with the frontend, so these check the shape of
// every line: a [table], a `key = "string"` pair, a comment or a blank line.
function tomlPairs(text: string): { table: string; key: string; value: string }[] {
  let table = '';
  const pairs: { table: string; key: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const t = /^\[([A-Za-z0-9_.]+)\]$/.exec(line);
    if (t) {
      table = t[1]!;
      continue;
    }
    const p = /^([A-Za-z0-9_]+) = ("(?:[^"\\]|\\.)*")$/.exec(line);
    if (!p) throw new Error(`not a TOML string pair: ${line}`);
    pairs.push({ table, key: p[1]!, value: JSON.parse(p[2]!) as string });
  }
  return pairs;
}

describe('connect: endpoint address', () => {
  it('takes host and port from the listening status, else from settings', () => {
    const ep = { enabled: true, host: '0.0.0.0', port: 9000, requireToken: true, rateLimitPerMinute: 0 };
    expect(endpointAddress({ state: 'listening', addr: '127.0.0.1:8001' }, ep)).toEqual({ host: '127.0.0.1', port: 8001, listening: true });
    expect(endpointAddress({ state: 'listening', addr: '0.0.0.0:8002' }, ep)).toEqual({ host: '127.0.0.1', port: 8002, listening: true });
    expect(endpointAddress({ state: 'listening', addr: '[::1]:8003' }, ep)).toEqual({ host: '[::1]', port: 8003, listening: true });
    expect(endpointAddress({ state: 'port_in_use', addr: '127.0.0.1:8000' }, ep)).toEqual({ host: '127.0.0.1', port: 9000, listening: false });
    expect(endpointAddress(null, undefined)).toEqual({ host: '127.0.0.1', port: 8000, listening: false });
  });
});

describe('connect: keys', () => {
  it.each([
    { requireToken: false, token: 'tok-secret', want: ANY_KEY },
    { requireToken: true, token: 'tok-secret', want: 'tok-secret' },
    { requireToken: true, token: '', want: TOKEN_PLACEHOLDER },
  ])('requireToken=$requireToken token=$token → $want in every tool', ({ requireToken, token, want }) => {
    for (const tool of TOOL_IDS) {
      const all = connectSnippets(tool, { ...base, requireToken, token }).map((b) => b.code).join('\n');
      if (tool === 'claude-code') expect(all).toContain(`ANTHROPIC_AUTH_TOKEN=${want}`);
      else expect(all, tool).toContain(want);
      if (want !== 'tok-secret') expect(all, tool).not.toContain('tok-secret');
    }
  });
});

describe('connect: snippets per tool', () => {
  it('Claude Code: root URL without /v1, the tier, tier models where set, no vendor traffic, launch line', () => {
    const blocks = connectSnippets('claude-code', { ...base, tier: 'opus', tiers: { opus: 'deepseek-v4-pro' } });
    const env = blocks[0]!.code;
    expect(env).toMatch(/^export ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:8123(\s|$)/m);
    expect(env).not.toContain('8123/v1');
    expect(env).toContain('export ANTHROPIC_MODEL=opus');
    expect(env).toContain('export ANTHROPIC_DEFAULT_OPUS_MODEL=deepseek-v4-pro');
    expect(env).not.toContain('ANTHROPIC_DEFAULT_SONNET_MODEL');
    expect(env).toContain('export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1');
    expect(blocks[1]!.code).toBe('thinkcloud launch claude');
    expect(pickerKind('claude-code')).toBe('tier');
  });

  it('Codex: config.toml with the thinkcloud provider on /v1, responses wire API, web_search off', () => {
    const blocks = connectSnippets('codex', base);
    expect(blocks[0]!.file).toBe('~/.codex/config.toml');
    const pairs = tomlPairs(blocks[0]!.code);
    const get = (table: string, key: string) => pairs.find((p) => p.table === table && p.key === key)?.value;
    expect(get('', 'model')).toBe('qwen-plus');
    expect(get('', 'model_provider')).toBe('thinkcloud');
    expect(get('', 'web_search')).toBe('disabled');
    expect(get('model_providers.thinkcloud', 'base_url')).toBe('http://127.0.0.1:8123/v1');
    expect(get('model_providers.thinkcloud', 'env_key')).toBe('THINKCLOUD_API_KEY');
    expect(get('model_providers.thinkcloud', 'wire_api')).toBe('responses');
    expect(blocks[1]!.code).toContain(`export THINKCLOUD_API_KEY=${ANY_KEY}`);
    expect(blocks[2]!.code).toBe('thinkcloud launch codex');
    expect(pickerKind('codex')).toBe('model');
  });

  it('OpenCode: JSON that parses, an openai-compatible provider on /v1 and the model selected', () => {
    const cfg = JSON.parse(code('opencode', { requireToken: true, token: 'tok-1' })) as {
      provider: { thinkcloud: { npm: string; options: { baseURL: string; apiKey: string }; models: Record<string, unknown> } };
      model: string;
    };
    expect(cfg.provider.thinkcloud.npm).toBe('@ai-sdk/openai-compatible');
    expect(cfg.provider.thinkcloud.options).toEqual({ baseURL: 'http://127.0.0.1:8123/v1', apiKey: 'tok-1' });
    expect(Object.keys(cfg.provider.thinkcloud.models)).toEqual(['qwen-plus']);
    expect(cfg.model).toBe('thinkcloud/qwen-plus');
  });

  it('OpenCode: a model id with quotes or slashes still gives valid JSON', () => {
    const cfg = JSON.parse(code('opencode', { model: 'dashscope/qwen"3' })) as { model: string };
    expect(cfg.model).toBe('thinkcloud/dashscope/qwen"3');
  });

  it('Qwen Code: the OPENAI_* variables on /v1', () => {
    expect(code('qwen-code').split('\n')).toEqual([
      'export OPENAI_BASE_URL=http://127.0.0.1:8123/v1',
      `export OPENAI_API_KEY=${ANY_KEY}`,
      'export OPENAI_MODEL=qwen-plus',
      'qwen',
    ]);
  });

  it('Continue: a config.yaml model entry with provider openai and apiBase on /v1', () => {
    const lines = code('continue').split('\n');
    expect(lines[0]).toBe('models:');
    expect(lines[1]).toMatch(/^ {2}- name: ".+"$/);
    expect(lines).toContain('    provider: openai');
    expect(lines).toContain('    model: "qwen-plus"');
    expect(lines).toContain('    apiBase: "http://127.0.0.1:8123/v1"');
    expect(lines).toContain(`    apiKey: "${ANY_KEY}"`);
  });

  it('Cline: the four settings fields', () => {
    expect(code('cline').split('\n')).toEqual([
      'API Provider: OpenAI Compatible',
      'Base URL: http://127.0.0.1:8123/v1',
      `API Key: ${ANY_KEY}`,
      'Model ID: qwen-plus',
    ]);
  });

  it('SDKs: OpenAI on /v1, Anthropic on the root', () => {
    expect(code('openai-python')).toContain('OpenAI(base_url="http://127.0.0.1:8123/v1", api_key="thinkcloud")');
    expect(code('openai-python')).toContain('model="qwen-plus"');
    expect(code('openai-js')).toContain('new OpenAI({ baseURL: "http://127.0.0.1:8123/v1", apiKey: "thinkcloud" })');
    expect(code('anthropic-js')).toContain('new Anthropic({ baseURL: "http://127.0.0.1:8123", apiKey: "thinkcloud" })');
    expect(code('anthropic-js')).toContain('model: "qwen-plus"');
  });

  it('a wildcard host becomes loopback in every snippet', () => {
    for (const tool of TOOL_IDS) {
      const all = connectSnippets(tool, { ...base, host: '0.0.0.0' }).map((b) => b.code).join('\n');
      expect(all, tool).not.toContain('0.0.0.0');
      expect(all, tool).toContain('http://127.0.0.1:8123');
    }
  });
});

describe('connect: initial model', () => {
  it('prefers the last or default model when available, else the first available', () => {
    expect(initialModel(['a', 'b', 'c'], [undefined, 'b'])).toBe('b');
    expect(initialModel(['a', 'b'], ['gone', 'also-gone'])).toBe('a');
    expect(initialModel([], ['gone'])).toBe('deepseek-flash');
  });
});
