import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import VersionNav from '../src/components/chat/VersionNav.svelte';
import ContextControl from '../src/components/chat/ContextControl.svelte';
import UndoToast from '../src/components/chat/UndoToast.svelte';
import type { MessageView } from '../src/api';
import { chat, type ChatMessage } from '../src/stores/chat.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { emptyParams } from '../src/lib/params';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const msg = (id: string, role: 'user' | 'assistant', content: string, versions: string[] | null): MessageView => ({
  id,
  conversationId: 'c1',
  role,
  content,
  reasoning: '',
  images: null,
  model: 'deepseek-flash',
  provider: 'deepseek',
  status: 'complete',
  error: '',
  errorKind: '',
  usage: null,
  stats: null,
  createdAt: '2025-01-01T00:00:00Z',
  parentId: '',
  versions,
});

const conversation = { id: 'c1', title: 't', model: 'deepseek-flash', provider: 'deepseek', system: '', params: null, pinned: false, createdAt: '', updatedAt: '' };

beforeEach(() => setLocale('en'));
afterEach(() => {
  uninstallFakeGo();
  chat.newChat('');
});

describe('versions and deletes in the window', () => {
  it('‹ 2/2 ›: the previous version comes from Go with its later turns', async () => {
    const SelectVersion = vi.fn(async () => ({
      conversation,
      messages: [msg('u1', 'user', 'q', null), msg('a1', 'assistant', 'old answer', ['a1', 'a2']), msg('u2', 'user', 'later', null)],
    }));
    installFakeGo({ HistoryService: { SelectVersion }, ChatService: { ContextCount: vi.fn(async () => null) } });
    chat.conversationId = 'c1';
    chat.messages = [msg('u1', 'user', 'q', null), msg('a2', 'assistant', 'new answer', ['a1', 'a2'])] as ChatMessage[];
    render(VersionNav, { msg: chat.messages[1]! });
    expect(screen.getByTestId('version-label').textContent).toBe('2/2');
    expect((screen.getByTestId('version-next') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('version-prev'));
    await vi.waitFor(() => expect(chat.messages.map((m) => m.content)).toEqual(['q', 'old answer', 'later']));
    expect(SelectVersion).toHaveBeenCalledWith('c1', 'a1');
  });

  it('a single version shows no navigation', () => {
    installFakeGo({});
    render(VersionNav, { msg: msg('a1', 'assistant', 'only', ['a1']) as ChatMessage });
    expect(screen.queryByTestId('msg-versions')).toBeNull();
  });

  it('Undo after a delete asks Go to bring it back (in Chinese too)', async () => {
    setLocale('zh-CN');
    const UndoDelete = vi.fn(async () => {});
    const Get = vi.fn(async () => ({ conversation, messages: [msg('u1', 'user', 'q', null)] }));
    installFakeGo({
      HistoryService: { DeleteMessage: vi.fn(async () => ({ op: 'op1' })), UndoDelete, Get, Purge: vi.fn(async () => {}) },
      ChatService: { ContextCount: vi.fn(async () => null) },
    });
    chat.conversationId = 'c1';
    chat.messages = [msg('u1', 'user', 'q', null), msg('a1', 'assistant', 'a', null)] as ChatMessage[];
    render(UndoToast);
    await chat.branches.deleteMessage('a1', false);
    expect(screen.getByTestId('undo-toast').textContent).toContain('消息已删除');
    await fireEvent.click(screen.getByTestId('undo-delete'));
    expect(UndoDelete).toHaveBeenCalledWith('op1');
    expect(screen.queryByTestId('undo-toast')).toBeNull();
  });

  it('the context control keeps the limit in the conversation params and shows Go’s count', async () => {
    const ContextCount = vi.fn(async () => ({ sent: 3, total: 9, tokens: 12345, window: 65536 }));
    installFakeGo({ ChatService: { ContextCount } });
    chat.newChat('deepseek-flash');
    chat.params = emptyParams();
    render(ContextControl);
    await fireEvent.change(screen.getByTestId('context-mode'), { target: { value: 'turns' } });
    expect(chat.params.context).toEqual({ mode: 'turns', turns: 6 });
    await fireEvent.change(screen.getByTestId('context-turns'), { target: { value: '3' } });
    expect(chat.params.context).toEqual({ mode: 'turns', turns: 3 });
    await vi.waitFor(() => expect(screen.getByTestId('context-count').textContent).toBe('3/9 turns · ~12k tokens'));
    const last = ContextCount.mock.calls.at(-1) as unknown as [string, string, { context: unknown }];
    expect(last[2].context).toEqual({ mode: 'turns', turns: 3 });
  });
});
