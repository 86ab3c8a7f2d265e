import { describe, expect, it, vi } from 'vitest';
import { AssistantsStore, newId, type PresetTarget } from '../src/stores/assistants.svelte';
import { emptyParams } from '../src/lib/params';
import { insertPrompt, matchPrompts, slashQuery } from '../src/lib/slash';
import { costText, sumCosts } from '../src/lib/cost';
import type { Assistants, AssistantsView, Params } from '../src/api';

const builtins = [
  { id: 'builtin-translator', name: 'Translator', system: 'Translate.', builtin: true, params: { temperature: 0.3 } },
  { id: 'builtin-concise', name: 'Concise', system: 'Be brief.', builtin: true },
];

function fakeGo(start: Assistants = {}) {
  let stored: Assistants = structuredClone(start);
  const deps = {
    list: vi.fn(async (lang: string): Promise<AssistantsView> => ({ builtins: lang === 'zh-CN' ? [{ ...builtins[0], name: '翻译助手' }] : builtins, mine: structuredClone(stored) })),
    // Go's validation, in the one rule the tests need: ids are lower-case.
    save: vi.fn(async (a: Assistants) => {
      if (a.presets?.some((p) => /[^a-z0-9-]/.test(p.id))) throw new Error('assistants.presets[0].id: must be lower-case');
      stored = structuredClone(a);
    }),
    stored: () => stored,
  };
  return deps;
}

function target(params: Params = emptyParams()): PresetTarget & { model: string } {
  const t = {
    model: 'deepseek-flash',
    params,
    setModel: (id: string) => {
      t.model = id;
    },
    setParams: (p: Params) => {
      t.params = p;
    },
  };
  return t;
}

describe('assistants store', () => {
  it('loads built-ins in the asked language before the user\'s own', async () => {
    const go = fakeGo({ presets: [{ id: 'poet', name: 'Poet', system: 'Rhyme.' }] });
    const s = new AssistantsStore(go);
    await s.load('zh-CN');
    expect(go.list).toHaveBeenCalledWith('zh-CN');
    expect(s.all.map((a) => a.name)).toEqual(['翻译助手', 'Poet']);
  });

  it('creates, edits, sets the default and deletes through Go', async () => {
    const go = fakeGo();
    const s = new AssistantsStore(go);
    await s.load('en');
    const id = await s.saveAssistant({ id: '', name: 'My Writer', system: 'Write.' });
    expect(id).toBe('my-writer');
    await s.saveAssistant({ id, name: 'My Writer', system: 'Write better.' });
    await s.setDefault(id);
    expect(go.stored()).toEqual({ presets: [{ id, name: 'My Writer', system: 'Write better.' }], prompts: [], default: id });
    await s.removeAssistant(id);
    expect(go.stored().presets).toEqual([]);
    expect(go.stored().default).toBe(''); // the default went with it
  });

  it('keeps everything when Go refuses a change', async () => {
    const go = fakeGo({ presets: [{ id: 'poet', name: 'Poet' }] });
    const s = new AssistantsStore(go);
    await s.load('en');
    await expect(s.saveAssistant({ id: 'Bad Id', name: 'x' })).rejects.toThrow(/presets\[0\]\.id/);
    expect(s.saved.presets.map((p) => p.id)).toEqual(['poet']);
  });

  it('copies a built-in into an editable assistant with a new id', async () => {
    const go = fakeGo();
    const s = new AssistantsStore(go);
    await s.load('en');
    const id = await s.copyBuiltin('builtin-translator', 'Translator (copy)');
    expect(id).toBe('translator-copy');
    expect(s.byId(id)).toMatchObject({ system: 'Translate.', params: { temperature: 0.3 } });
    expect(s.byId(id)?.builtin).toBeUndefined();
  });

  it('applies a preset: model, system prompt and thinking; the context limit stays', async () => {
    const go = fakeGo({
      presets: [{ id: 'deep', name: 'Deep', system: 'Think hard.', model: 'kimi-k3', params: { thinking: true, reasoningEffort: 'high', temperature: 0.2 } }],
      default: 'deep',
    });
    const s = new AssistantsStore(go);
    await s.load('en');
    const t = target({ ...emptyParams('old system'), context: { mode: 'turns', turns: 4 } });
    expect(s.applyDefault(t)?.id).toBe('deep');
    expect(t.model).toBe('kimi-k3');
    expect(t.params).toMatchObject({ system: 'Think hard.', thinking: true, reasoningEffort: 'high', temperature: 0.2, context: { mode: 'turns', turns: 4 } });

    // A preset without a model keeps the chat's, and clears what it does not set.
    s.apply(s.byId('builtin-concise')!, t);
    expect(t.model).toBe('kimi-k3');
    expect(t.params).toMatchObject({ system: 'Be brief.', thinking: null, temperature: null });
  });

  it('applies nothing for a new chat without a default', async () => {
    const s = new AssistantsStore(fakeGo());
    await s.load('en');
    const t = target(emptyParams('keep'));
    expect(s.applyDefault(t)).toBeUndefined();
    expect(t.params.system).toBe('keep');
  });

  it('makes ids Go accepts', () => {
    expect(newId('Code Review!', [])).toBe('code-review');
    expect(newId('翻译', [])).toBe('item');
    expect(newId('builtin-x', [])).toBe('item');
    expect(newId('a', ['a', 'a-2'])).toBe('a-3');
  });
});

describe('the / prompt library', () => {
  const prompts = [
    { id: 'fix', name: 'Fix grammar', text: 'Fix the grammar:\n' },
    { id: 'tldr', name: 'Summarise (TL;DR)', text: 'Summarise in three lines:\n' },
  ];

  it('sees a / query at the start of the text or a line, not inside a path', () => {
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashQuery('/fi', 3)).toEqual({ start: 0, query: 'fi' });
    expect(slashQuery('hello\n/su', 9)).toEqual({ start: 6, query: 'su' });
    expect(slashQuery('see a/b', 7)).toBeNull();
    expect(slashQuery('/fix more', 9)).toBeNull(); // the caret left the word
  });

  it('matches by name, names starting with the query first', () => {
    expect(matchPrompts(prompts, 'sum').map((p) => p.id)).toEqual(['tldr']);
    expect(matchPrompts(prompts, '').length).toBe(2);
    expect(matchPrompts(prompts, 'r').map((p) => p.id)).toEqual(['fix', 'tldr']);
  });

  it('replaces the /query with the prompt and puts the caret after it', () => {
    const text = 'Intro\n/fi and after';
    const caret = 'Intro\n/fi'.length;
    const out = insertPrompt(text, caret, prompts[0]);
    expect(out.text).toBe('Intro\nFix the grammar:\n and after');
    expect(out.caret).toBe('Intro\nFix the grammar:\n'.length);
  });
});

describe('cost text', () => {
  it('shows each currency Go priced, ≈ when estimated, nothing without a price', () => {
    expect(costText([{ currency: 'USD', amount: 1.5 }, { currency: 'CNY', amount: 10 }])).toBe('$1.50 · ¥10.00');
    expect(costText([{ currency: 'USD', amount: 0.000123 }], true)).toBe('≈ $0.000123');
    expect(costText(null)).toBe('');
    expect(costText([])).toBe('');
  });

  it('totals per currency, never adding one to another', () => {
    const { total, estimated } = sumCosts([
      { cost: [{ currency: 'USD', amount: 1 }, { currency: 'CNY', amount: 7 }] },
      { cost: null },
      { cost: [{ currency: 'USD', amount: 0.5 }], costEstimated: true },
    ]);
    expect(total).toEqual([{ currency: 'USD', amount: 1.5 }, { currency: 'CNY', amount: 7 }]);
    expect(estimated).toBe(true);
  });
});

describe('the applied assistant', () => {
  it('is the last one applied, the default on a new chat, none without one', async () => {
    const s = new AssistantsStore(fakeGo({ presets: [{ id: 'poet', name: 'Poet' }], default: 'poet' }));
    await s.load('en');
    const t = target();
    s.apply(s.byId('builtin-concise')!, t);
    expect(s.applied).toBe('builtin-concise');
    s.applyDefault(t);
    expect(s.applied).toBe('poet');
    await s.setDefault('');
    s.applyDefault(t);
    expect(s.applied).toBe('');
  });
});

describe('a preset whose model cannot answer', () => {
  it('keeps the chat\'s model and still applies the prompt', async () => {
    const s = new AssistantsStore(fakeGo({ presets: [{ id: 'k', name: 'K', model: 'kimi-k3', system: 'Hi.' }] }));
    await s.load('en');
    const t = target();
    t.usable = (m: string) => m !== 'kimi-k3';
    s.apply(s.byId('k')!, t);
    expect(t.model).toBe('deepseek-flash');
    expect(t.params.system).toBe('Hi.');
  });
});
