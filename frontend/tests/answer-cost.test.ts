import { describe, expect, it, vi } from 'vitest';
import { ChatStore, type ChatDeps } from '../src/stores/chat.svelte';
import type { CostsView, StreamEvent } from '../src/api';
import { render } from '@testing-library/svelte';
import MessageStats from '../src/components/chat/MessageStats.svelte';

function setup(costs: (id: string) => Promise<CostsView>) {
  const deps: ChatDeps = {
    chat: {
      send: vi.fn(async () => ({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' })),
      regenerate: vi.fn(),
      edit: vi.fn(),
      stop: vi.fn(async () => {}),
      onStream: vi.fn(() => () => {}),
    } as unknown as ChatDeps['chat'],
    history: {
      get: vi.fn(async () => ({ conversation: {} as never, messages: [] })),
      setModel: vi.fn(async () => {}),
      setSystem: vi.fn(async () => {}),
      costs: vi.fn(costs),
    },
    modelInfo: () => undefined,
    onConversationsChanged: vi.fn(),
    onModelChosen: vi.fn(),
    onError: vi.fn(),
    schedule: (fn) => fn(),
    newStreamId: () => 's1',
  };
  const store = new ChatStore(deps);
  store.newChat('deepseek-flash');
  return { store, deps };
}

const done = (): StreamEvent => ({ streamId: 's1', conversationId: 'c1', messageId: 'a1', seq: 1, kind: 'done', text: 'Hi', usage: { promptTokens: 9, completionTokens: 3 } });

describe('per-answer cost', () => {
  it('fills the answer with the cost Go priced once it ended', async () => {
    const { store, deps } = setup(async () => ({
      answers: { a1: { cost: [{ currency: 'USD', amount: 0.0000063 }], estimated: false } },
      total: [{ currency: 'USD', amount: 0.0000063 }],
      totalEstimated: false,
    }));
    await store.send('hello');
    store.handleEvent(done());
    await vi.waitFor(() => expect(store.messages[1]!.cost).toEqual([{ currency: 'USD', amount: 0.0000063 }]));
    expect(deps.history.costs).toHaveBeenCalledWith('c1');
    expect(store.messages[0]!.cost ?? []).toEqual([]); // the question has none
  });

  it('shows no cost, and no error, when Go cannot price', async () => {
    const { store, deps } = setup(async () => {
      throw new Error('history closed');
    });
    await store.send('hello');
    store.handleEvent(done());
    await vi.waitFor(() => expect(deps.history.costs).toHaveBeenCalled());
    expect(store.messages[1]!.cost ?? []).toEqual([]);
    expect(deps.onError).not.toHaveBeenCalled();
  });

  it('is shown beside the tokens, with ≈ when estimated', () => {
    const msg = {
      id: 'a1', conversationId: 'c1', role: 'assistant', content: 'x', reasoning: '', images: null, model: 'deepseek-flash', provider: 'deepseek',
      status: 'complete', error: '', errorKind: '', usage: { promptTokens: 9, completionTokens: 3 }, stats: null, createdAt: '', parentId: '', versions: ['a1'],
      cost: [{ currency: 'USD', amount: 1.5 }, { currency: 'CNY', amount: 10 }], costEstimated: true,
    } as const;
    const { getByTestId } = render(MessageStats, { props: { msg: structuredClone(msg) as never } });
    expect(getByTestId('stat-cost').textContent).toBe('≈ $1.50 · ¥10.00');
    expect(getByTestId('stat-tokens')).toBeTruthy();
  });
});
