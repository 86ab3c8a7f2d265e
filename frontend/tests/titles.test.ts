import { describe, expect, it, vi } from 'vitest';
import { chooseTitleModel, needsConsent, titleCandidates, titlePrice } from '../src/lib/titles';
import { importedText } from '../src/lib/imported';
import { en } from '../src/lib/i18n/en';
import { format } from '../src/lib/i18n/index.svelte';
import { modelInfo } from './fixtures';

const usd = (input: number, output: number) => [{ currency: 'USD', input, output }];

describe('title model picker', () => {
  const flash = modelInfo('deepseek-flash', { titleCost: 'cheap', prices: usd(0.3, 1.2), available: true });
  const luna = modelInfo('gpt-6-luna', { titleCost: 'cheap', prices: usd(0.1, 0.5), available: true });
  const local = modelInfo('llama-local', { titleCost: 'free', prices: [], available: true, source: 'custom' });
  const pro = modelInfo('deepseek-v4-pro', { prices: usd(1.32, 3.96), available: true });
  const nokey = modelInfo('qwen3.8-flash', { titleCost: 'cheap', prices: usd(0.15, 0.47), available: false });
  const retired = modelInfo('old-cheap', { titleCost: 'cheap', prices: usd(0.1, 0.1), available: true, retired: true });

  it('offers only models Go marked cheap or free that can be called, free first, then cheapest', () => {
    expect(titleCandidates([pro, flash, nokey, retired, luna, local]).map((m) => m.id)).toEqual(['llama-local', 'gpt-6-luna', 'deepseek-flash']);
  });

  it('asks before a paid model, not before a free one or one already agreed to', () => {
    expect(needsConsent(flash, { auto: true })).toBe(true);
    expect(needsConsent(flash, { auto: true, paidModel: 'gpt-6-luna' })).toBe(true);
    expect(needsConsent(flash, { auto: true, paidModel: 'deepseek-flash' })).toBe(false);
    expect(needsConsent(local, { auto: true })).toBe(false);
  });

  it('records the yes with the model, and never for a model the user did not agree to', () => {
    expect(chooseTitleModel({ auto: true }, flash, true)).toEqual({ auto: true, model: 'deepseek-flash', paidModel: 'deepseek-flash' });
    expect(chooseTitleModel({ auto: true, paidModel: 'gpt-6-luna' }, local, false)).toEqual({
      auto: true,
      model: 'llama-local',
      paidModel: 'gpt-6-luna',
    });
    expect(titlePrice(flash)).toBe('$1.20');
    expect(titlePrice(local)).toBe('');
  });
});

describe('imported badge words', () => {
  const tr = (key: 'conv.importedFrom' | 'conv.importedAt', vars: Record<string, string>) => format(en[key], vars);
  it('names the file and the date, and is empty for a conversation made here', () => {
    const text = importedText({ importedAt: '2026-12-02T14:20:00Z', importedFrom: 'physics.json' }, 'en', tr);
    expect(text).toMatch(/^Imported .*2026.* from physics\.json$/);
    expect(importedText({ importedAt: '2026-12-02T14:20:00Z' }, 'en', tr)).toMatch(/^Imported .*2026/);
    expect(importedText({}, 'en', tr)).toBe('');
  });
});

describe('the sidebar follows titles a model wrote', () => {
  it('renames the listed conversation and reads the list again', async () => {
    const { ConversationsStore } = await import('../src/stores/conversations.svelte');
    let emit: (e: { conversationId: string; title: string }) => void = () => {};
    const list = vi.fn(async () => [{ id: 'c1', title: 'Hello from openai (gpt-6-luna)' }]);
    const api = {
      list,
      onTitle: (cb: typeof emit) => {
        emit = cb;
        return () => {};
      },
    };
    const store = new ConversationsStore(api as never);
    store.list = [{ id: 'c1', title: 'How do rainbows form?' } as never];
    const stop = store.followTitles();
    emit({ conversationId: 'c1', title: 'Hello from openai (gpt-6-luna)' });
    expect(store.byId('c1')?.title).toBe('Hello from openai (gpt-6-luna)');
    await vi.waitFor(() => expect(list).toHaveBeenCalled());
    stop();
  });
});
