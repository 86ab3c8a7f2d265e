import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import AssistantMessage from '../src/components/chat/AssistantMessage.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import type { ChatMessage } from '../src/stores/chat.svelte';

beforeEach(() => setLocale('en'));

const answer = (extra: Partial<ChatMessage>): ChatMessage => ({
  id: 'a1',
  conversationId: 'c1',
  role: 'assistant',
  content: 'The answer.',
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
  ...extra,
});

describe('an answer that could not be saved', () => {
  it('says so under the answer, with the reason, and keeps Copy', () => {
    render(AssistantMessage, { msg: answer({ saveError: 'save answer: disk is full' }) });
    const warning = screen.getByTestId('msg-unsaved');
    expect(warning.textContent).toContain('could not be saved');
    expect(warning.textContent).toContain('disk is full');
    expect(screen.getByTestId('msg-copy')).toBeTruthy();
  });
  it('a saved answer shows no such warning', () => {
    render(AssistantMessage, { msg: answer({}) });
    expect(screen.queryByTestId('msg-unsaved')).toBeNull();
  });
  it('is said in Chinese too', () => {
    setLocale('zh-CN');
    render(AssistantMessage, { msg: answer({ saveError: 'disk is full' }) });
    expect(screen.getByTestId('msg-unsaved').textContent).toContain('未能保存');
  });
});
