import { describe, expect, it, vi } from 'vitest';
import type { ModelInfo, Params, SendRequest } from '../src/api';
import { emptyParams, isFixed, normalizeParams, paramsForSend, thinkingControls } from '../src/lib/params';
import { ChatStore, type ChatDeps } from '../src/stores/chat.svelte';
import { modelInfo } from './fixtures';

const m = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => modelInfo(id, { reasoning: true, ...extra });

// Shapes of today's models as the catalog describes them (ids are the test's own).
const deepseek = m('ds', { think: { mode: 'optional', efforts: ['high', 'max'] } });
const qwen = m('qwen', { think: { mode: 'optional', budgetMax: 81920 } });
const kimiK3 = m('k3', {
  think: { mode: 'always', efforts: ['low', 'high', 'max'] },
  fixed: ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty'],
  defaults: { temperature: 1, max_tokens: 32000 },
});
const gpt = m('gpt', { think: { mode: 'optional', efforts: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] } });
const plain = m('plain', { reasoning: false, think: { mode: 'none' } });

describe('thinking controls offered per model', () => {
  it('offers exactly what the model accepts', () => {
    expect(thinkingControls(deepseek)).toEqual({ toggle: true, efforts: ['high', 'max'], budgetMax: 0 });
    expect(thinkingControls(qwen)).toEqual({ toggle: true, efforts: [], budgetMax: 81920 });
    expect(thinkingControls(kimiK3)).toEqual({ toggle: false, efforts: ['low', 'high', 'max'], budgetMax: 0 });
    expect(thinkingControls(gpt).efforts).toEqual(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    expect(thinkingControls(plain)).toEqual({ toggle: false, efforts: [], budgetMax: 0 });
  });

  it('orders efforts weakest first whatever order the catalog lists them in', () => {
    expect(thinkingControls(m('x', { think: { mode: 'always', efforts: ['max', 'low'] } })).efforts).toEqual(['low', 'max']);
  });

  it('falls back to the legacy flags for a model the catalog does not know', () => {
    expect(thinkingControls(m('bare', { thinkingToggle: true }))).toEqual({ toggle: true, efforts: ['low', 'medium', 'high'], budgetMax: 0 });
    expect(thinkingControls(m('bare', { reasoning: false }))).toEqual({ toggle: false, efforts: [], budgetMax: 0 });
  });
});

describe('what the chat sends', () => {
  const all: Params = { ...emptyParams(), temperature: 0.3, topP: 0.5, presencePenalty: 0.2, maxTokens: 100 };

  it('never sends a parameter the model fixes, not even its own default', () => {
    expect(isFixed(kimiK3, 'temperature')).toBe(true);
    expect(isFixed(kimiK3, 'maxTokens')).toBe(false);
    const p = paramsForSend(all, kimiK3);
    expect(p.temperature).toBeNull();
    expect(p.topP).toBeNull();
    expect(p.presencePenalty).toBeNull();
    expect(p.maxTokens).toBe(100);
    expect(paramsForSend(emptyParams(), kimiK3).temperature).toBeNull(); // default 1 not sent
    expect(paramsForSend(emptyParams(), kimiK3).maxTokens).toBe(32000);
    expect(paramsForSend(all, deepseek).temperature).toBe(0.3); // others still get it
  });

  it('keeps the efforts a model accepts and clears the others', () => {
    expect(paramsForSend({ ...emptyParams(), reasoningEffort: 'max' }, deepseek).reasoningEffort).toBe('max');
    expect(paramsForSend({ ...emptyParams(), reasoningEffort: 'xhigh' }, deepseek).reasoningEffort).toBe('');
    expect(paramsForSend({ ...emptyParams(), reasoningEffort: 'none' }, gpt).reasoningEffort).toBe('none');
    expect(paramsForSend({ ...emptyParams(), reasoningEffort: 'high' }, qwen).reasoningEffort).toBe('');
  });

  it('sends a switch only where thinking is optional', () => {
    expect(paramsForSend({ ...emptyParams(), thinking: true }, qwen).thinking).toBe(true);
    expect(paramsForSend({ ...emptyParams(), thinking: false }, kimiK3).thinking).toBeNull();
  });

  it('sends a budget only where the model takes one, at most its largest', () => {
    expect(paramsForSend({ ...emptyParams(), thinkingBudget: 4096 }, qwen).thinkingBudget).toBe(4096);
    expect(paramsForSend({ ...emptyParams(), thinkingBudget: 999999 }, qwen).thinkingBudget).toBe(81920);
    expect(paramsForSend({ ...emptyParams(), thinkingBudget: 4096 }, deepseek).thinkingBudget).toBeNull();
  });

  it('thinking off sends neither effort nor budget', () => {
    const p = paramsForSend({ ...emptyParams(), thinking: false, reasoningEffort: 'max', thinkingBudget: 2048 }, deepseek);
    expect(p).toMatchObject({ thinking: false, reasoningEffort: '', thinkingBudget: null });
  });

  it('keeps every level and a budget through Go round trips, dropping junk', () => {
    for (const e of ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const) {
      expect(normalizeParams({ reasoningEffort: e }).reasoningEffort).toBe(e);
    }
    expect(normalizeParams({ thinkingBudget: 2048 }).thinkingBudget).toBe(2048);
    expect(normalizeParams({ thinkingBudget: 1.5 }).thinkingBudget).toBeNull();
  });
});

describe('chat store: thinking per model', () => {
  function setup(lastParams: (model: string) => Promise<Params | null>) {
    const send = vi.fn(async (_req: SendRequest) => ({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1', thinking: 'max' }));
    const models: Record<string, ModelInfo> = { ds: deepseek, qwen };
    const deps: ChatDeps = {
      chat: { send, regenerate: vi.fn(), edit: vi.fn(), stop: vi.fn(async () => {}), onStream: vi.fn(() => () => {}) },
      history: { get: vi.fn(), setModel: vi.fn(async () => {}), setSystem: vi.fn(async () => {}), lastParams: vi.fn(lastParams) },
      modelInfo: (id) => models[id],
      onConversationsChanged: vi.fn(),
      onModelChosen: vi.fn(),
      onError: vi.fn(),
      schedule: (fn) => fn(),
      newStreamId: () => 's1',
    };
    return { store: new ChatStore(deps), send, deps };
  }

  it("starts a new conversation from the model's last thinking choice", async () => {
    const remembered: Record<string, Params> = {
      ds: { ...emptyParams(), thinking: false, temperature: 0.9 },
      qwen: { ...emptyParams(), thinkingBudget: 4096 },
    };
    const { store, send } = setup(async (model) => remembered[model] ?? null);
    store.newChat('ds');
    await vi.waitFor(() => expect(store.params.thinking).toBe(false));
    expect(store.params.temperature).toBeNull(); // only the thinking choice is remembered
    store.setModel('qwen');
    await vi.waitFor(() => expect(store.params.thinkingBudget).toBe(4096));
    expect(store.params.thinking).toBeNull(); // ds's choice does not leak into qwen
    await store.send('hi');
    expect(send.mock.calls[0]![0].params).toMatchObject({ thinkingBudget: 4096, thinking: null });
  });

  it("does not override a choice the user already made", async () => {
    let release: (p: Params | null) => void = () => {};
    const { store } = setup(() => new Promise((r) => (release = r)));
    store.newChat('ds');
    store.setParams({ ...store.params, reasoningEffort: 'max' });
    release({ ...emptyParams(), thinking: false });
    await Promise.resolve();
    await Promise.resolve();
    expect(store.params.thinking).toBeNull();
    expect(store.params.reasoningEffort).toBe('max');
  });

  it('shows on the answer how the model was asked to think', async () => {
    const { store } = setup(async () => null);
    store.newChat('ds');
    await store.send('hi');
    expect(store.messages[1]!.thinking).toBe('max');
  });
});
