import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import CompareColumn from '../src/components/chat/CompareColumn.svelte';
import { chat, type ChatMessage } from '../src/stores/chat.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';

function answer(over: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'a1', conversationId: 'c1', role: 'assistant', content: '', reasoning: '', images: null, model: 'kimi-k2.6',
    provider: 'kimi', status: 'complete', error: '', errorKind: '', usage: null, stats: null, createdAt: '', parentId: 'u1',
    versions: null, ...over,
  };
}

describe('a comparison column', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    setLocale('en');
  });

  it('while streaming: its own Stop, no pick yet', async () => {
    const stop = vi.spyOn(chat.compare, 'stop').mockResolvedValue();
    render(CompareColumn, { msg: answer({ status: 'streaming', content: 'partial' }) });
    expect(screen.queryByTestId('compare-choose')).toBeNull();
    await fireEvent.click(screen.getByTestId('compare-stop'));
    expect(stop).toHaveBeenCalledWith('a1');
  });

  it('complete: its stats and "Continue with this one", in Chinese too', async () => {
    const choose = vi.spyOn(chat.compare, 'choose').mockResolvedValue();
    setLocale('zh-CN');
    render(CompareColumn, { msg: answer({ content: 'done', usage: { promptTokens: 3, completionTokens: 5 } }) });
    expect(screen.queryByTestId('compare-stop')).toBeNull();
    expect(screen.getByTestId('msg-stats').textContent).toContain('kimi-k2.6');
    const pick = screen.getByTestId('compare-choose');
    expect(pick.textContent).toContain('用这个回答继续');
    await fireEvent.click(pick);
    expect(choose).toHaveBeenCalledWith('a1');
  });

  it('failed: the error card with Retry, and nothing to continue with', () => {
    render(CompareColumn, { msg: answer({ status: 'error', errorKind: 'rate_limited', error: '429' }) });
    expect(screen.getByTestId('msg-error').dataset.kind).toBe('rate_limited');
    expect(screen.getByTestId('msg-retry')).toBeTruthy();
    expect(screen.queryByTestId('compare-choose')).toBeNull();
  });
});
