import { describe, expect, it } from 'vitest';
import type { ConversationView, ModelInfo } from '../src/api';
import { dateBucket, groupConversations } from '../src/lib/dates';
import { SeqOrder } from '../src/lib/seqOrder';
import { formatContext, slugify, splitLines } from '../src/lib/format';
import { filterModels, groupModels, pickInitialModel } from '../src/lib/models';
import { emptyParams, modelDefault, normalizeParams, paramsForSend, parseParamInput, NUMERIC_PARAMS } from '../src/lib/params';
import { snippetHtml, snippetParts } from '../src/lib/snippet';
import { buildSnippets, maskToken } from '../src/lib/snippets';
import { matchShortcut } from '../src/lib/shortcuts';
import { errorMessageKey, needsSettings, parseStoredError } from '../src/lib/errors';

const m = (id: string, provider: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  provider,
  providerName: provider.toUpperCase(),
  upstream: id,
  contextWindow: 0,
  reasoning: false,
  vision: false,
  tools: false,
  thinkingToggle: false,
  available: true,
  source: 'builtin',
  retired: false,
  defaults: null,
  name: '',
  maxOutput: 0,
  think: null,
  prices: null,
  shutdown: '',
  successors: null,
  unavailable: false,
  chain: null,
  ...extra,
});

describe('params serialization', () => {
  const temp = NUMERIC_PARAMS.find((s) => s.key === 'temperature')!;
  const maxTok = NUMERIC_PARAMS.find((s) => s.key === 'maxTokens')!;

  it('keeps temperature 0 through normalize, defaults and JSON', () => {
    const model = m('r1', 'deepseek', { defaults: { temperature: 0.6 } });
    const p = paramsForSend({ ...emptyParams(), temperature: 0 }, model);
    expect(p.temperature).toBe(0);
    expect(JSON.parse(JSON.stringify(p)).temperature).toBe(0);
    expect(normalizeParams({ temperature: 0 }).temperature).toBe(0);
  });

  it('null means "not sent" and stays null when the model has no default', () => {
    const p = paramsForSend(emptyParams(), m('x', 'openai'));
    expect(p.temperature).toBeNull();
    expect(JSON.stringify(p)).toContain('"temperature":null');
  });

  it('reads defaults in camelCase or snake_case', () => {
    const model = m('x', 'p', { defaults: { top_p: 0.95, maxTokens: 4096 } });
    expect(modelDefault(model, 'topP')).toBe(0.95);
    expect(modelDefault(model, 'maxTokens')).toBe(4096);
    expect(modelDefault(model, 'temperature')).toBeNull();
  });

  it('clears options the model does not support', () => {
    const p = paramsForSend({ ...emptyParams(), reasoningEffort: 'high', thinking: true }, m('x', 'p'));
    expect(p.reasoningEffort).toBe('');
    expect(p.thinking).toBeNull();
    const q = paramsForSend({ ...emptyParams(), reasoningEffort: 'high', thinking: false }, m('x', 'p', { reasoning: true, thinkingToggle: true }));
    expect(q.reasoningEffort).toBe(''); // thinking off: no effort goes with it
    expect(q.thinking).toBe(false);
    const r = paramsForSend({ ...emptyParams(), reasoningEffort: 'high', thinking: true }, m('x', 'p', { reasoning: true, thinkingToggle: true }));
    expect(r.reasoningEffort).toBe('high');
  });

  it('parses inputs: "" → null, "0" → 0, clamps and rounds', () => {
    expect(parseParamInput('', temp)).toBeNull();
    expect(parseParamInput('0', temp)).toBe(0);
    expect(parseParamInput('5', temp)).toBe(2);
    expect(parseParamInput('abc', temp)).toBeNull();
    expect(parseParamInput('100.7', maxTok)).toBe(101);
  });

  it('normalizes junk from Go', () => {
    const p = normalizeParams({ temperature: 'hot' as unknown as number, reasoningEffort: 'turbo' as never, thinkingBudget: -3 }, 'sys');
    expect(p).toEqual({ ...emptyParams('sys') });
  });
});

describe('model picker logic', () => {
  const list = [
    m('gpt-6-luna', 'openai', { vision: true, tools: true, available: false }),
    m('deepseek-flash', 'deepseek'),
    m('deepseek-v4-pro', 'deepseek', { reasoning: true }),
    m('qwen-max', 'dashscope'),
    m('old-model', 'deepseek', { retired: true }),
  ];

  it('filters case-insensitively on id, provider and capability, hiding retired', () => {
    expect(filterModels(list, 'DEEP').map((x) => x.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
    expect(filterModels(list, 'openai').map((x) => x.id)).toEqual(['gpt-6-luna']);
    expect(filterModels(list, 'vision').map((x) => x.id)).toEqual(['gpt-6-luna']);
    expect(filterModels(list, 'deep reason').map((x) => x.id)).toEqual(['deepseek-v4-pro']);
    expect(filterModels(list, '').length).toBe(4);
    expect(filterModels(list, 'old').length).toBe(0);
  });

  it('groups by provider, providers with keys first, then by name', () => {
    const groups = groupModels(filterModels(list, ''));
    expect(groups.map((g) => g.provider)).toEqual(['dashscope', 'deepseek', 'openai']);
    expect(groups[1]!.models.map((x) => x.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
    expect(groups[2]!.available).toBe(false);
  });

  it('picks the last model, then the default, then the first usable one', () => {
    expect(pickInitialModel(list, 'deepseek-v4-pro', 'qwen-max')).toBe('deepseek-v4-pro');
    expect(pickInitialModel(list, 'gpt-6-luna', 'qwen-max')).toBe('qwen-max'); // no key for gpt-6-luna
    expect(pickInitialModel(list, '', '')).toBe('deepseek-flash');
    expect(pickInitialModel([], 'x', '')).toBe('x');
  });

  it('formats context windows', () => {
    expect(formatContext(131072)).toBe('128K');
    expect(formatContext(128000)).toBe('128K');
    expect(formatContext(65536)).toBe('64K');
    expect(formatContext(200000)).toBe('200K');
    expect(formatContext(1048576)).toBe('1M');
    expect(formatContext(1_000_000)).toBe('1M');
    expect(formatContext(163840)).toBe('160K');
    expect(formatContext(32000)).toBe('32K');
    expect(formatContext(2_000_000)).toBe('2M');
    expect(formatContext(0)).toBe('');
  });
});

describe('conversation date groups', () => {
  const now = new Date(2025, 5, 15, 10, 0, 0); // 15 June 2025, 10:00 local
  const at = (d: number, h = 12) => new Date(2025, 5, d, h, 0, 0).toISOString();
  const conv = (id: string, updatedAt: string, pinned = false): ConversationView => ({
    id,
    title: id,
    model: '',
    provider: '',
    system: '',
    params: null,
    pinned,
    createdAt: updatedAt,
    updatedAt,
  });

  it('buckets by local calendar day', () => {
    expect(dateBucket(new Date(2025, 5, 15, 0, 5).toISOString(), now)).toBe('today');
    expect(dateBucket(new Date(2025, 5, 14, 23, 59).toISOString(), now)).toBe('yesterday');
    expect(dateBucket(at(8), now)).toBe('week');
    expect(dateBucket(at(1), now)).toBe('older');
    expect(dateBucket('garbage', now)).toBe('older');
  });

  it('groups Pinned / Today / Yesterday / Previous 7 days / Older in that order, newest first', () => {
    const groups = groupConversations(
      [conv('old', at(1)), conv('t1', at(15, 8)), conv('pin', at(2), true), conv('y', at(14)), conv('t2', at(15, 9)), conv('w', at(10))],
      now,
    );
    expect(groups.map((g) => g.key)).toEqual(['pinned', 'today', 'yesterday', 'week', 'older']);
    expect(groups[1]!.items.map((c) => c.id)).toEqual(['t2', 't1']);
    expect(groups[0]!.items.map((c) => c.id)).toEqual(['pin']);
  });

  it('omits empty groups', () => {
    expect(groupConversations([conv('a', at(15))], now).map((g) => g.key)).toEqual(['today']);
    expect(groupConversations([], now)).toEqual([]);
  });
});

describe('search snippets', () => {
  it('marks matches and escapes everything else', () => {
    const html = snippetHtml('…<b>x</b> the \u0002needle\u0003 & <script>alert(1)</script>');
    expect(html).toBe('…&lt;b&gt;x&lt;/b&gt; the <mark>needle</mark> &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('splits into parts and tolerates a missing end marker', () => {
    expect(snippetParts('a\u0002b\u0003c\u0002d')).toEqual([
      { text: 'a', mark: false },
      { text: 'b', mark: true },
      { text: 'c', mark: false },
      { text: 'd', mark: true },
    ]);
  });
});

describe('endpoint snippets', () => {
  it('reflect host, port and token', () => {
    const s = buildSnippets({ host: '127.0.0.1', port: 8123, token: 'tok-abc', requireToken: true });
    expect(s.baseURL).toBe('http://127.0.0.1:8123/v1');
    expect(s.env).toContain('OPENAI_BASE_URL=http://127.0.0.1:8123/v1');
    expect(s.curl).toContain('Authorization: Bearer tok-abc');
    expect(s.python).toContain('api_key="tok-abc"');
    expect(s.node).toContain('apiKey: "tok-abc"');
  });

  it('use loopback for a wildcard host and a dummy key when no token is required', () => {
    const s = buildSnippets({ host: '0.0.0.0', port: 8000, token: 'tok', requireToken: false });
    expect(s.env.split('\n')[0]).toBe('OPENAI_BASE_URL=http://127.0.0.1:8000/v1');
    expect(s.curl).not.toContain('Authorization');
    expect(s.python).not.toContain('tok"');
  });

  it('masks the token for display', () => {
    expect(maskToken('key=secret;again=secret', 'secret')).toBe('key=••••••;again=••••••');
  });
});

describe('shortcuts', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; isComposing: boolean }> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });
  it('maps Ctrl/Cmd combos and Esc', () => {
    expect(matchShortcut(k('n', { ctrlKey: true }))).toBe('newChat');
    expect(matchShortcut(k('N', { metaKey: true }))).toBe('newChat');
    expect(matchShortcut(k('k', { ctrlKey: true }))).toBe('search');
    expect(matchShortcut(k('m', { ctrlKey: true }))).toBe('model');
    expect(matchShortcut(k('/', { ctrlKey: true }))).toBe('model');
    expect(matchShortcut(k('Escape'))).toBe('stop');
    expect(matchShortcut(k('n'))).toBeNull();
    expect(matchShortcut(k('Escape', { isComposing: true }))).toBeNull();
  });
});

describe('errors and small helpers', () => {
  it('maps error kinds to messages and knows which need settings', () => {
    expect(errorMessageKey('rate_limited')).toBe('error.rate_limited');
    expect(errorMessageKey('weird')).toBe('error.other');
    expect(needsSettings('no_key')).toBe(true);
    expect(needsSettings('invalid_key')).toBe(true);
    expect(needsSettings('timeout')).toBe(false);
    expect(parseStoredError('invalid_key: 401 Unauthorized')).toEqual({ kind: 'invalid_key', message: '401 Unauthorized' });
    expect(parseStoredError('connection reset')).toEqual({ kind: 'other', message: 'connection reset' });
  });

  it('slugify and splitLines', () => {
    expect(slugify('My Provider!')).toBe('my-provider');
    expect(slugify('中文')).toBe('custom');
    expect(splitLines(' a \n\n b\r\n')).toEqual(['a', 'b']);
  });
});

describe('SeqOrder', () => {
  const e = (seq: number) => ({ seq });
  it('hands events out in seq order, holding early ones and dropping duplicates', () => {
    const o = new SeqOrder<{ seq: number }>();
    expect(o.push(e(2))).toEqual([]);
    expect(o.push(e(1))).toEqual([e(1), e(2)]);
    expect(o.push(e(2))).toEqual([]);
    expect(o.push(e(3))).toEqual([e(3)]);
  });
  it('skips a gap that never fills once more than maxHeld events wait behind it', () => {
    const o = new SeqOrder<{ seq: number }>(2);
    expect(o.push(e(3))).toEqual([]);
    expect(o.push(e(4))).toEqual([]);
    expect(o.push(e(5))).toEqual([e(3), e(4), e(5)]);
    expect(o.push(e(1))).toEqual([]); // too late: already skipped
  });
});
