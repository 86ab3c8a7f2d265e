import { describe, expect, it, vi } from 'vitest';
import { ChatStore, type ChatDeps } from '../src/stores/chat.svelte';
import { UNDO_MS } from '../src/stores/branches.svelte';
import type { ModelInfo, SendRequest, SendResult, StreamEvent } from '../src/api';

const model: ModelInfo = {
  id: 'deepseek-v4-pro',
  provider: 'deepseek',
  providerName: 'DeepSeek',
  upstream: 'deepseek-v4-pro',
  contextWindow: 65536,
  reasoning: true,
  vision: false,
  tools: false,
  thinkingToggle: false,
  available: true,
  source: 'builtin',
  retired: false,
  defaults: { temperature: 0.6 },
  name: '',
  maxOutput: 0,
  think: null,
  prices: null,
  shutdown: '',
  successors: null,
  unavailable: false,
  chain: null,
};

function setup(opts: { sendImpl?: ChatDeps['chat']['send'] } = {}) {
  const frames: (() => void)[] = [];
  const send = vi.fn(
    opts.sendImpl ?? (async (_req: SendRequest) => ({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' })),
  );
  let streams = 0;
  const deps: ChatDeps = {
    chat: {
      send,
      regenerate: vi.fn(async () => ({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a2' })),
      edit: vi.fn(async () => ({ conversationId: 'c1', userMessageId: 'u9', assistantMessageId: 'a9' })),
      stop: vi.fn(async () => {}),
      onStream: vi.fn(() => () => {}),
    },
    history: {
      get: vi.fn(async () => ({ conversation: {} as never, messages: [] })),
      setModel: vi.fn(async () => {}),
      setSystem: vi.fn(async () => {}),
    },
    modelInfo: (id) => (id === model.id ? model : undefined),
    onConversationsChanged: vi.fn(),
    onModelChosen: vi.fn(),
    onError: vi.fn(),
    schedule: (fn) => frames.push(fn),
    newStreamId: () => `s${++streams}`, // the first answer is s1, as ev() says
  };
  const store = new ChatStore(deps);
  store.newChat(model.id);
  const runFrames = () => frames.splice(0).forEach((f) => f());
  return { store, deps, send, frames, runFrames };
}

const ev = (seq: number, kind: StreamEvent['kind'], text = '', extra: Partial<StreamEvent> = {}): StreamEvent => ({
  streamId: 's1',
  conversationId: 'c1',
  messageId: 'a1',
  seq,
  kind,
  text,
  ...extra,
});

const assistant = (s: ChatStore) => s.messages[s.messages.length - 1]!;

describe('chat store: stream accumulation', () => {
  it('appends deltas in seq order and keeps reasoning separate', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'reasoning', 'Let me '));
    store.handleEvent(ev(2, 'reasoning', 'think.'));
    store.handleEvent(ev(3, 'delta', 'Hello'));
    store.handleEvent(ev(4, 'delta', ', world'));
    runFrames();
    expect(assistant(store).reasoning).toBe('Let me think.');
    expect(assistant(store).content).toBe('Hello, world');
    expect(assistant(store).status).toBe('streaming');
    expect(store.isStreaming).toBe(true);
  });

  it('ignores duplicates and puts out-of-order events back in seq order', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'A'));
    store.handleEvent(ev(1, 'delta', 'A')); // duplicate
    store.handleEvent(ev(3, 'delta', 'C')); // early: waits for 2
    store.handleEvent(ev(3, 'delta', 'C')); // duplicate while held
    runFrames();
    expect(assistant(store).content).toBe('A');
    store.handleEvent(ev(2, 'delta', 'B')); // late: fills the gap
    store.handleEvent(ev(4, 'delta', 'D'));
    runFrames();
    expect(assistant(store).content).toBe('ABCD');
  });

  it('a final event that overtakes text still ends after the text', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'Hel'));
    store.handleEvent(ev(3, 'done', ''));
    expect(assistant(store).status).toBe('streaming');
    store.handleEvent(ev(2, 'delta', 'lo'));
    runFrames();
    expect(assistant(store).content).toBe('Hello');
    expect(assistant(store).status).toBe('complete');
  });

  it('a done event carrying a stopped error marks the answer stopped, keeping its text', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'partial'));
    store.handleEvent(ev(2, 'done', '', { error: { kind: 'stopped', message: 'Stopped', provider: 'deepseek' } }));
    runFrames();
    expect(assistant(store).status).toBe('stopped');
    expect(assistant(store).content).toBe('partial');
  });

  it('an answer Go could not save keeps its text and says why', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'kept on screen'));
    store.handleEvent(ev(2, 'done', '', { saveError: 'save answer: disk is full' }));
    runFrames();
    expect(assistant(store).status).toBe('complete');
    expect(assistant(store).content).toBe('kept on screen');
    expect(assistant(store).saveError).toBe('save answer: disk is full');
  });

  it('skips a gap that never fills instead of stalling', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'A'));
    for (let i = 3; i <= 70; i++) store.handleEvent(ev(i, 'delta', 'x'));
    runFrames();
    expect(assistant(store).content).toBe('A' + 'x'.repeat(68));
  });

  it('batches reactive updates to animation frames', async () => {
    const { store, frames, runFrames } = setup();
    await store.send('hi');
    for (let i = 1; i <= 50; i++) store.handleEvent(ev(i, 'delta', 'x'));
    expect(frames.length).toBe(1); // one frame scheduled for 50 events
    expect(assistant(store).content).toBe(''); // nothing applied before the frame
    runFrames();
    expect(assistant(store).content).toBe('x'.repeat(50));
  });

  it('"done" is final: flushes pending text, stores usage/stats and ignores later events', async () => {
    const { store, runFrames, deps } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'partial'));
    store.handleEvent(
      ev(2, 'done', '', {
        usage: { promptTokens: 12, completionTokens: 34 },
        stats: { ttftMs: 420, tokensPerSec: 55.5, reasoningMs: 3200, totalMs: 1000 },
      }),
    );
    const a = assistant(store);
    expect(a.content).toBe('partial'); // flushed without waiting for a frame
    expect(a.status).toBe('complete');
    expect(a.usage).toEqual({ promptTokens: 12, completionTokens: 34 });
    expect(a.stats?.reasoningMs).toBe(3200);
    store.handleEvent(ev(3, 'delta', ' more'));
    runFrames();
    expect(a.content).toBe('partial');
    expect(store.isStreaming).toBe(false);
    expect(deps.onConversationsChanged).toHaveBeenCalled();
  });

  it('"error" is final and carries kind, message and provider', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'delta', 'Hel'));
    store.handleEvent(ev(2, 'error', '', { error: { kind: 'no_key', message: 'missing key', provider: 'deepseek' } }));
    store.handleEvent(ev(3, 'delta', 'lo'));
    runFrames();
    const a = assistant(store);
    expect(a.status).toBe('error');
    expect(a.errorKind).toBe('no_key');
    expect(a.errorProvider).toBe('deepseek');
    expect(a.error).toBe('missing key');
    expect(a.content).toBe('Hel');
  });

  it('an error of kind "stopped" marks the message stopped', async () => {
    const { store } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'error', '', { error: { kind: 'stopped', message: '', provider: 'deepseek' } }));
    expect(assistant(store).status).toBe('stopped');
  });

  it('applies events that arrive before Send resolves at once: the window chose their stream id', async () => {
    let resolve!: (v: SendResult) => void;
    const { store, send, runFrames } = setup({
      sendImpl: (req) => {
        // Go streams before the call returns; the events carry the id the window sent.
        store.handleEvent({ ...ev(2, 'delta', ' there'), streamId: req.streamId });
        store.handleEvent({ ...ev(1, 'delta', 'Hi'), streamId: req.streamId });
        return new Promise((r) => (resolve = r));
      },
    });
    const sending = store.send('hi');
    expect(send.mock.calls[0]![0].streamId).toBe('s1');
    runFrames();
    expect(assistant(store).content).toBe('Hi there'); // nothing held back until Send returns
    resolve({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' });
    await sending;
    expect(assistant(store).id).toBe('a1');
    expect(store.conversationId).toBe('c1');
    store.handleEvent(ev(3, 'done'));
    expect(assistant(store).status).toBe('complete');
    expect(assistant(store).content).toBe('Hi there');
  });

  it('an answer that ends before Send resolves stays ended, under its real id', async () => {
    let resolve!: (v: SendResult) => void;
    const { store, deps } = setup({
      sendImpl: (req) => {
        const error = { kind: 'no_key' as const, message: 'no key', provider: 'deepseek' };
        store.handleEvent({ ...ev(1, 'error', '', { error }), streamId: req.streamId });
        return new Promise((r) => (resolve = r));
      },
    });
    const sending = store.send('hi');
    expect(assistant(store).status).toBe('error');
    await store.stop(); // nothing is streaming
    resolve({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' });
    await sending;
    expect(assistant(store).id).toBe('a1');
    expect(assistant(store).errorKind).toBe('no_key');
    expect(store.isStreaming).toBe(false);
    expect(deps.chat.stop).not.toHaveBeenCalled();
  });

  it('ignores events of other streams', async () => {
    const { store, runFrames } = setup();
    await store.send('hi');
    store.handleEvent({ ...ev(1, 'delta', 'nope'), streamId: 'other' });
    runFrames();
    expect(assistant(store).content).toBe('');
  });

  it('Stop cancels the current stream by its id', async () => {
    const { store, deps } = setup();
    await store.send('hi');
    await store.stop();
    expect(deps.chat.stop).toHaveBeenCalledWith('s1');
  });

  it('Stop pressed before Send returns cancels the stream once Go has it', async () => {
    let resolve!: (v: SendResult) => void;
    const { store, deps } = setup({ sendImpl: () => new Promise((r) => (resolve = r)) });
    const sending = store.send('hi');
    expect(store.isStreaming).toBe(true);
    await store.stop();
    expect(deps.chat.stop).not.toHaveBeenCalled(); // Go may not have the id yet
    resolve({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' });
    await sending;
    expect(deps.chat.stop).toHaveBeenCalledWith('s1');
  });

  it('a rejected Send shows the error on the answer and Retry sends again', async () => {
    let fail = true;
    const { store, send } = setup({
      sendImpl: async () => {
        if (fail) throw new Error('model not found');
        return { conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' };
      },
    });
    await store.send('hi');
    const failed = assistant(store);
    expect(failed.status).toBe('error');
    expect(failed.error).toBe('model not found');
    store.handleEvent(ev(1, 'delta', 'late')); // Go started no stream s1: nothing follows it
    expect(failed.content).toBe('');
    fail = false;
    await store.retry(failed.id);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]![0].streamId).toBe('s2'); // a new answer, a new stream
    expect(store.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(assistant(store).id).toBe('a1');
  });
});

describe('chat store: requests', () => {
  it('sends temperature 0 (not dropped as falsy) and fills unset params from model defaults', async () => {
    const { store, send } = setup();
    store.setParams({ ...store.params, temperature: 0, maxTokens: 256 });
    await store.send('hi');
    const req = send.mock.calls[0]![0];
    expect(req.streamId).toBe('s1');
    expect(req.params.temperature).toBe(0);
    expect(req.params.maxTokens).toBe(256);
    expect(req.params.topP).toBeNull();
    expect(JSON.stringify(req)).toContain('"temperature":0');
    expect(req.conversationId).toBe('');
    expect(req.model).toBe('deepseek-v4-pro');
  });

  it('uses the model default temperature when the conversation sets none', async () => {
    const { store, send } = setup();
    await store.send('hi');
    expect(send.mock.calls[0]![0].params.temperature).toBe(0.6);
  });

  it('regenerate shows the new answer as the last version, the old one kept as version 1', async () => {
    const { store, deps } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'done'));
    await store.regenerate('a1');
    expect(deps.chat.regenerate).toHaveBeenCalledWith('s2', 'c1', 'a1', 'deepseek-v4-pro', expect.any(Object));
    expect(store.messages.map((m) => m.id)).toEqual(['u1', 'a2']);
    expect(assistant(store).status).toBe('streaming');
    expect(assistant(store).versions).toEqual(['a1', 'a2']);
  });

  it('edit replaces the user message and what follows', async () => {
    const { store, deps } = setup();
    await store.send('hi');
    store.handleEvent(ev(1, 'done'));
    await store.edit('u1', 'hello again');
    expect(deps.chat.edit).toHaveBeenCalledWith('s2', 'c1', 'u1', 'hello again', 'deepseek-v4-pro', expect.any(Object));
    expect(store.messages.map((m) => [m.id, m.content])).toEqual([
      ['u9', 'hello again'],
      ['a9', ''],
    ]);
    expect(store.messages[0]!.versions).toEqual(['u1', 'u9']);
  });

  it('switching model mid-conversation remembers it and stores it on the conversation', async () => {
    const { store, deps } = setup();
    await store.send('hi');
    store.setModel('gpt-6-luna');
    expect(deps.onModelChosen).toHaveBeenCalledWith('gpt-6-luna');
    expect(deps.history.setModel).toHaveBeenCalledWith('c1', 'gpt-6-luna');
  });

  it('refuses to send while a stream is running', async () => {
    const { store, send } = setup();
    await store.send('one');
    expect(await store.send('two')).toBe(false);
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('chat store: history', () => {
  it('shows an untracked "streaming" message from history as interrupted and adopts it if its events arrive', async () => {
    const { store, deps, runFrames } = setup();
    const base = {
      conversationId: 'c7',
      reasoning: '',
      images: null,
      model: 'deepseek-v4-pro',
      provider: 'deepseek',
      error: '',
      errorKind: '' as const,
      usage: null,
      stats: null,
      createdAt: '2025-01-01T00:00:00Z',
      parentId: '',
      versions: null,
    };
    deps.history.get = vi.fn(async () => ({
      conversation: {
        id: 'c7',
        title: 't',
        model: 'deepseek-v4-pro',
        provider: 'deepseek',
        system: 'be brief',
        params: null,
        pinned: false,
        createdAt: '',
        updatedAt: '',
      },
      messages: [
        { ...base, id: 'u7', role: 'user' as const, content: 'q', status: 'complete' as const },
        { ...base, id: 'a7', role: 'assistant' as const, content: 'par', status: 'streaming' as const },
      ],
    }));
    await store.open('c7');
    expect(store.params.system).toBe('be brief');
    expect(assistant(store).status).toBe('interrupted');
    expect(store.isStreaming).toBe(false);
    store.handleEvent({ streamId: 'sx', conversationId: 'c7', messageId: 'a7', seq: 9, kind: 'delta', text: 'tial' });
    runFrames();
    expect(assistant(store).status).toBe('streaming');
    expect(assistant(store).content).toBe('partial');
    store.handleEvent({ streamId: 'sx', conversationId: 'c7', messageId: 'a7', seq: 10, kind: 'done', text: '' });
    expect(assistant(store).status).toBe('complete');
  });
});

describe('chat store: versions, deletes and context', () => {
  const wire = (id: string, role: 'user' | 'assistant', content: string, versions: string[] | null = null) => ({
    id,
    conversationId: 'c1',
    role,
    content,
    reasoning: '',
    images: null,
    model: 'deepseek-v4-pro',
    provider: 'deepseek',
    status: 'complete' as const,
    error: '',
    errorKind: '' as const,
    usage: null,
    stats: null,
    createdAt: '2025-01-01T00:00:00Z',
    parentId: '',
    versions,
  });
  const conversation = { id: 'c1', title: 't', model: 'deepseek-v4-pro', provider: 'deepseek', system: '', params: null, pinned: false, createdAt: '', updatedAt: '' };

  it('‹ › asks Go for the other version and shows the path it returns', async () => {
    const { store, deps } = setup();
    deps.history.get = vi.fn(async () => ({
      conversation,
      messages: [wire('u1', 'user', 'q'), wire('a2', 'assistant', 'new', ['a1', 'a2'])],
    }));
    deps.history.selectVersion = vi.fn(async () => ({
      conversation,
      messages: [wire('u1', 'user', 'q'), wire('a1', 'assistant', 'old', ['a1', 'a2']), wire('u2', 'user', 'later')],
    }));
    await store.open('c1');
    await store.branches.showVersion('a2', 1); // already the last: nothing to ask
    expect(deps.history.selectVersion).not.toHaveBeenCalled();
    await store.branches.showVersion('a2', -1);
    expect(deps.history.selectVersion).toHaveBeenCalledWith('c1', 'a1');
    expect(store.messages.map((m) => m.content)).toEqual(['q', 'old', 'later']);
  });

  it('a delete can be undone until it is purged; the next delete purges the one before', async () => {
    vi.useFakeTimers();
    try {
      const { store, deps } = setup();
      let shown = [wire('u1', 'user', 'q'), wire('a1', 'assistant', 'a')];
      deps.history.get = vi.fn(async () => ({ conversation, messages: shown }));
      let ops = 0;
      deps.history.deleteMessage = vi.fn(async () => ({ op: `op${++ops}` }));
      deps.history.undoDelete = vi.fn(async () => {});
      deps.history.purge = vi.fn(async () => {});
      await store.open('c1');
      shown = [wire('u1', 'user', 'q')];
      await store.branches.deleteMessage('a1', false);
      expect(deps.history.deleteMessage).toHaveBeenCalledWith('c1', 'a1', false);
      expect(store.messages.map((m) => m.id)).toEqual(['u1']);
      expect(store.branches.undo).toEqual({ op: 'op1', conversationId: 'c1', branch: false });
      shown = [wire('u1', 'user', 'q'), wire('a1', 'assistant', 'a')];
      await store.branches.undoDelete();
      expect(deps.history.undoDelete).toHaveBeenCalledWith('op1');
      expect(store.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
      expect(store.branches.undo).toBeNull();

      await store.branches.deleteMessage('u1', true);
      await store.branches.deleteMessage('a1', false);
      expect(deps.history.purge).toHaveBeenCalledWith('op2');
      vi.advanceTimersByTime(UNDO_MS);
      expect(deps.history.purge).toHaveBeenCalledWith('op3');
      expect(store.branches.undo).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks Go for the context count with the conversation and the limit chosen', async () => {
    const { store, deps } = setup();
    deps.chat.contextCount = vi.fn(async () => ({ sent: 1, total: 4, tokens: 120, window: 65536 }));
    store.setParams({ ...store.params, context: { mode: 'turns', turns: 1 } });
    await vi.waitFor(() => expect(store.context?.sent).toBe(1));
    const [conv, modelId, params] = (deps.chat.contextCount as ReturnType<typeof vi.fn>).mock.calls.at(-1)!;
    expect([conv, modelId, params.context]).toEqual(['', 'deepseek-v4-pro', { mode: 'turns', turns: 1 }]);
  });
});

describe('chat store: search hits in other branches', () => {
  it('reveal switches to the branch holding a message that is not shown', async () => {
    const { store, deps } = setup();
    const m = (id: string, content: string) => ({
      id, conversationId: 'c1', role: 'user' as const, content, reasoning: '', images: null, model: '', provider: '',
      status: 'complete' as const, error: '', errorKind: '' as const, usage: null, stats: null, createdAt: '', parentId: '', versions: null,
    });
    const conversation = { id: 'c1', title: 't', model: 'deepseek-v4-pro', provider: 'deepseek', system: '', params: null, pinned: false, createdAt: '', updatedAt: '' };
    deps.history.get = vi.fn(async () => ({ conversation, messages: [m('u1', 'shown')] }));
    deps.history.selectVersion = vi.fn(async () => ({ conversation, messages: [m('u0', 'hit')] }));
    await store.open('c1');
    await store.branches.reveal('u1');
    expect(deps.history.selectVersion).not.toHaveBeenCalled();
    await store.branches.reveal('u0');
    expect(deps.history.selectVersion).toHaveBeenCalledWith('c1', 'u0');
    expect(store.messages.map((x) => x.content)).toEqual(['hit']);
  });
});
