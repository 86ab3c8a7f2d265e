import { describe, expect, it, vi } from 'vitest';
import { ChatStore, type ChatDeps } from '../src/stores/chat.svelte';
import { MAX_COMPARE } from '../src/stores/compare.svelte';
import type { CompareRequest, MessageView, StreamEvent } from '../src/api';
import { modelInfo } from './fixtures';

const MODELS = ['deepseek-flash', 'gpt-6-luna', 'kimi-k2.6', 'qwen-3.8-27b', 'gpt-oss-120b'];

function wire(id: string, role: 'user' | 'assistant', content: string, model = ''): MessageView {
  return {
    id, conversationId: 'c1', role, content, reasoning: '', images: null, model, provider: '', status: 'complete',
    error: '', errorKind: '', usage: null, stats: null, createdAt: '', parentId: '', versions: null,
  };
}

function setup(opts: { reject?: boolean } = {}) {
  let streams = 0;
  const compare = vi.fn(async (req: CompareRequest) => {
    if (opts.reject) throw new Error('history is read-only');
    return {
      conversationId: 'c1',
      userMessageId: 'u1',
      answers: (req.answers ?? []).map((_, i) => ({ assistantMessageId: `a${i + 1}`, thinking: '' })),
    };
  });
  const selectVersion = vi.fn(async (_c: string, id: string) => ({
    conversation: {} as never,
    messages: [wire('u1', 'user', 'which?'), wire(id, 'assistant', `answer ${id}`, 'gpt-6-luna')],
  }));
  const deps: ChatDeps = {
    chat: {
      send: vi.fn(async () => ({ conversationId: 'c1', userMessageId: 'u2', assistantMessageId: 'a9' })),
      regenerate: vi.fn(async () => ({ conversationId: 'c1', userMessageId: '', assistantMessageId: 'a4' })),
      edit: vi.fn(),
      stop: vi.fn(async () => {}),
      onStream: vi.fn(() => () => {}),
      compare,
    } as unknown as ChatDeps['chat'],
    history: {
      get: vi.fn(async () => ({ conversation: {} as never, messages: [] })),
      setModel: vi.fn(async () => {}),
      setSystem: vi.fn(async () => {}),
      selectVersion,
    },
    modelInfo: (id) => (MODELS.includes(id) ? modelInfo(id, { defaults: id === 'gpt-6-luna' ? { temperature: 1 } : null }) : undefined),
    onConversationsChanged: vi.fn(),
    onModelChosen: vi.fn(),
    onError: vi.fn(),
    schedule: (fn) => fn(),
    newStreamId: () => `s${++streams}`,
  };
  const store = new ChatStore(deps);
  store.newChat('deepseek-flash');
  return { store, deps, compare, selectVersion };
}

const ev = (streamId: string, messageId: string, seq: number, kind: StreamEvent['kind'], text = '', extra: Partial<StreamEvent> = {}): StreamEvent => ({
  streamId, conversationId: 'c1', messageId, seq, kind, text, ...extra,
});

async function comparing(s: ReturnType<typeof setup>, ...models: string[]) {
  for (const m of models) s.store.compare.toggle(m);
  await s.store.send('which?');
  return s.store.compare.columns;
}

describe('compare store', () => {
  it('picks 2 to 4 models; one pick is no comparison, a fifth is refused', () => {
    const { store } = setup();
    store.compare.toggle('deepseek-flash');
    expect(store.compare.armed).toBe(false);
    store.compare.toggle('gpt-6-luna');
    expect(store.compare.armed).toBe(true);
    for (const m of MODELS.slice(2)) store.compare.toggle(m);
    expect(store.compare.picked).toEqual(MODELS.slice(0, MAX_COMPARE));
    store.compare.toggle('gpt-6-luna');
    expect(store.compare.picked).toEqual(['deepseek-flash', 'kimi-k2.6', 'qwen-3.8-27b']);
  });

  it('sends one question to every picked model, each on its own stream with its own params', async () => {
    const s = setup();
    const cols = await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    expect(s.deps.chat.send).not.toHaveBeenCalled();
    const req = s.compare.mock.calls[0]![0];
    expect(req.text).toBe('which?');
    expect(req.answers!.map((a) => [a.streamId, a.model, a.params.temperature])).toEqual([
      ['s1', 'deepseek-flash', null],
      ['s2', 'gpt-6-luna', 1],
    ]);
    expect(s.store.messages.map((m) => [m.role, m.id])).toEqual([['user', 'u1']]);
    expect(cols.map((c) => [c.id, c.model, c.status])).toEqual([
      ['a1', 'deepseek-flash', 'streaming'],
      ['a2', 'gpt-6-luna', 'streaming'],
    ]);
    expect(s.store.compare.open).toBe(true);
    expect(s.store.compare.picked).toEqual([]); // for this one message
    expect(s.store.conversationId).toBe('c1');
  });

  it('streams the columns together and independently: one failing leaves the other streaming', async () => {
    const s = setup();
    const cols = await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    s.store.handleEvent(ev('s1', 'a1', 1, 'delta', 'Hello'));
    s.store.handleEvent(ev('s2', 'a2', 1, 'delta', 'Hi'));
    s.store.handleEvent(ev('s1', 'a1', 2, 'error', '', { error: { kind: 'unreachable', message: 'down', provider: 'deepseek' } }));
    s.store.handleEvent(ev('s2', 'a2', 2, 'delta', ' there'));
    expect(cols[0]!.status).toBe('error');
    expect(cols[1]!.content).toBe('Hi there');
    expect(cols[1]!.status).toBe('streaming');
    expect(s.store.isStreaming).toBe(true);
    s.store.handleEvent(ev('s2', 'a2', 3, 'done'));
    expect(cols[1]!.status).toBe('complete');
    expect(s.store.isStreaming).toBe(false);
  });

  it('stops one column by its stream id; Stop in the composer stops every column', async () => {
    const s = setup();
    const cols = await comparing(s, 'deepseek-flash', 'gpt-6-luna', 'kimi-k2.6');
    await s.store.compare.stop(cols[1]!.id);
    expect(s.deps.chat.stop).toHaveBeenCalledWith('s2');
    expect(s.deps.chat.stop).toHaveBeenCalledTimes(1);
    await s.store.stop();
    expect((s.deps.chat.stop as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[0]).sort()).toEqual(['s1', 's2', 's2', 's3']);
  });

  it("a column's Retry regenerates that answer with its model while the others stream on", async () => {
    const s = setup();
    const cols = await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    s.store.handleEvent(ev('s2', 'a2', 1, 'error', '', { error: { kind: 'rate_limited', message: '429', provider: 'openai' } }));
    expect(s.store.isStreaming).toBe(true); // the first column still streams
    await s.store.retry('a2');
    expect(s.deps.chat.regenerate).toHaveBeenCalledWith('s3', 'c1', 'a2', 'gpt-6-luna', expect.anything());
    expect(s.store.compare.columns.map((c) => [c.id, c.status])).toEqual([
      ['a1', 'streaming'],
      ['a4', 'streaming'],
    ]);
    expect(cols[0]!.id).toBe('a1');
    s.store.handleEvent(ev('s3', 'a4', 1, 'done', 'ok now'));
    expect(s.store.compare.columns[1]!.content).toBe('ok now');
  });

  it('"Continue with this one" makes it the active version, closes the columns and takes its model', async () => {
    const s = setup();
    await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    s.store.handleEvent(ev('s1', 'a1', 1, 'done', 'one'));
    s.store.handleEvent(ev('s2', 'a2', 1, 'done', 'two'));
    await s.store.compare.choose('a2');
    expect(s.selectVersion).toHaveBeenCalledWith('c1', 'a2');
    expect(s.store.compare.open).toBe(false);
    expect(s.store.messages.map((m) => m.id)).toEqual(['u1', 'a2']);
    expect(s.store.model).toBe('gpt-6-luna');
    expect(s.deps.history.setModel).toHaveBeenCalledWith('c1', 'gpt-6-luna');
    // The next message is a plain one, after the chosen answer.
    await s.store.send('go on');
    expect(s.deps.chat.send).toHaveBeenCalledWith(expect.objectContaining({ conversationId: 'c1', model: 'gpt-6-luna', text: 'go on' }));
  });

  it('sending on without a pick continues with the first answer that completed', async () => {
    const s = setup();
    await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    s.store.handleEvent(ev('s1', 'a1', 1, 'error', '', { error: { kind: 'unreachable', message: 'down', provider: 'deepseek' } }));
    s.store.handleEvent(ev('s2', 'a2', 1, 'done', 'two'));
    await s.store.send('next');
    expect(s.selectVersion).toHaveBeenCalledWith('c1', 'a2');
    expect(s.deps.chat.send).toHaveBeenCalledTimes(1);
    expect(s.store.messages.map((m) => m.id)).toEqual(['u1', 'a2', 'u2', 'a9']);
  });

  it('a comparison Go refused shows the error in every column, and Retry asks all of them again', async () => {
    const s = setup({ reject: true });
    const cols = await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    expect(cols.map((c) => [c.status, c.error])).toEqual([
      ['error', 'history is read-only'],
      ['error', 'history is read-only'],
    ]);
    await s.store.retry(cols[1]!.id);
    expect(s.compare).toHaveBeenCalledTimes(2);
    expect(s.compare.mock.calls[1]![0].answers!.map((a) => a.model)).toEqual(['deepseek-flash', 'gpt-6-luna']);
    expect(s.store.messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('the columns close when another path or conversation is shown', async () => {
    const s = setup();
    await comparing(s, 'deepseek-flash', 'gpt-6-luna');
    expect(s.store.compare.open).toBe(true);
    s.store.newChat('deepseek-flash');
    expect(s.store.compare.open).toBe(false);
    expect(s.store.compare.has('a1')).toBe(false);
  });
});
