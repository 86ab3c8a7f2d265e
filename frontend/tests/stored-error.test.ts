import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import MessageError from '../src/components/chat/MessageError.svelte';
import type { ErrorKind, MessageView } from '../src/api';
import { storedError } from '../src/lib/errors';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { ChatStore, type ChatMessage } from '../src/stores/chat.svelte';
import { ui } from '../src/stores/ui.svelte';

beforeEach(() => setLocale('en'));

const stored = (id: string, error: string, errorKind: ErrorKind | ''): MessageView => ({
  id,
  conversationId: 'c1',
  role: 'assistant',
  content: '',
  reasoning: '',
  images: null,
  model: 'deepseek-flash',
  provider: 'deepseek',
  status: 'error',
  error,
  errorKind,
  usage: null,
  stats: null,
  createdAt: '2025-01-01T00:00:00Z',
});

/** Opens a conversation whose messages come from history, as after a reload. */
async function reload(messages: MessageView[]): Promise<ChatMessage[]> {
  const store = new ChatStore({
    chat: { send: vi.fn(), regenerate: vi.fn(), edit: vi.fn(), stop: vi.fn(), onStream: vi.fn(() => () => {}) },
    history: {
      get: vi.fn(async () => ({
        conversation: {
          id: 'c1',
          title: 't',
          model: 'deepseek-flash',
          provider: 'deepseek',
          system: '',
          params: null,
          pinned: false,
          createdAt: '',
          updatedAt: '',
        },
        messages,
      })),
      setModel: vi.fn(async () => {}),
      setSystem: vi.fn(async () => {}),
    },
    modelInfo: () => undefined,
    onConversationsChanged: vi.fn(),
    onModelChosen: vi.fn(),
    onError: vi.fn(),
    schedule: (fn) => fn(),
    newStreamId: () => 's1',
  });
  await store.open('c1');
  return store.messages;
}

describe('errors stored in history', () => {
  it('uses the stored kind, and falls back to the text for messages saved without one', () => {
    expect(storedError('401 Unauthorized', 'invalid_key')).toEqual({ kind: 'invalid_key', message: '401 Unauthorized' });
    expect(storedError('no_key: missing', 'rate_limited')).toEqual({ kind: 'rate_limited', message: 'no_key: missing' });
    expect(storedError('no_key: missing', '')).toEqual({ kind: 'no_key', message: 'missing' });
    expect(storedError('connection reset', '')).toEqual({ kind: 'other', message: 'connection reset' });
    expect(storedError('connection reset', 'from_the_future')).toEqual({ kind: 'other', message: 'connection reset' });
  });

  it('offers "Open settings" after a reload only for a stored key problem', async () => {
    const msgs = await reload([
      stored('a1', '401 Unauthorized', 'invalid_key'),
      stored('a2', 'no API key for deepseek', 'no_key'),
      stored('a3', '429 Too Many Requests', 'rate_limited'),
      stored('a4', '401 Unauthorized', ''), // saved before kinds were kept
    ]);
    expect(msgs.map((m) => m.errorKind)).toEqual(['invalid_key', 'no_key', 'rate_limited', 'other']);
    const offers = msgs.map((msg) => {
      const { unmount } = render(MessageError, { props: { msg } });
      const offered = screen.queryByTestId('msg-open-settings') !== null;
      expect(screen.getByTestId('msg-error').dataset.kind).toBe(msg.errorKind);
      unmount();
      return offered;
    });
    expect(offers).toEqual([true, true, false, false]);
  });

  it('"Open settings" on a reloaded message opens the provider settings', async () => {
    const [msg] = await reload([stored('a1', '401 Unauthorized', 'invalid_key')]);
    render(MessageError, { props: { msg: msg! } });
    await userEvent.setup().click(screen.getByTestId('msg-open-settings'));
    expect(ui.view).toBe('settings');
    expect(ui.focusProvider).toBe('deepseek');
  });
});
