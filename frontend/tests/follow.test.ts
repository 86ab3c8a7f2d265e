import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import MessageList from '../src/components/chat/MessageList.svelte';
import { Follow } from '../src/lib/follow';
import { chat, type ChatMessage } from '../src/stores/chat.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';

/** A scroll box whose content grows, as a streaming answer does; scrollTop is clamped as a browser does. */
function box(height = 5000) {
  let top = height - 400;
  const b = {
    scrollHeight: height,
    clientHeight: 400,
    get scrollTop() {
      return top;
    },
    set scrollTop(v: number) {
      top = Math.max(0, Math.min(v, b.scrollHeight - b.clientHeight));
    },
  };
  return b;
}

describe('Follow', () => {
  it('a wheel notch up stops following before any scroll event (smooth scrolling)', () => {
    const f = new Follow();
    const b = box();
    f.toBottom(b);
    f.wheel(-53);
    expect(f.following).toBe(false);
    // Smooth scrolling has moved 10 px so far: the old "within 80 px" rule said "still at the bottom".
    b.scrollTop -= 10;
    f.scrolled(b);
    expect(f.following).toBe(false);
    b.scrollHeight += 300; // more of the answer
    f.scrolled(b);
    expect(f.following).toBe(false);
  });

  it('its own scrolls to the bottom are not the user moving', () => {
    const f = new Follow();
    const b = box();
    for (let i = 0; i < 20; i++) {
      b.scrollHeight += 100;
      f.toBottom(b);
      f.scrolled(b);
      expect(f.following).toBe(true);
    }
  });

  it('dragging the scrollbar up stops; scrolling back to the end resumes', () => {
    const f = new Follow();
    const b = box();
    f.toBottom(b);
    b.scrollTop = b.scrollHeight - b.clientHeight;
    f.scrolled(b);
    b.scrollTop -= 300;
    f.scrolled(b);
    expect(f.following).toBe(false);
    b.scrollTop += 290;
    f.scrolled(b);
    expect(f.following).toBe(true);
  });

  it('keys and touch that scroll up stop following', () => {
    for (const k of ['PageUp', 'ArrowUp', 'Home']) {
      const f = new Follow();
      f.key(k);
      expect(f.following, k).toBe(false);
    }
    const f = new Follow();
    f.key('PageDown');
    expect(f.following).toBe(true);
    f.touchStart(100);
    f.touchMove(140); // finger down: content up
    expect(f.following).toBe(false);
  });
});

const msg = (id: string, role: 'user' | 'assistant', content: string): ChatMessage => ({
  id,
  conversationId: 'c1',
  role,
  content,
  reasoning: '',
  images: null,
  model: 'm',
  provider: 'p',
  status: role === 'assistant' ? 'streaming' : 'complete',
  error: '',
  errorKind: '',
  usage: null,
  stats: null,
  createdAt: '',
} as ChatMessage);

describe('MessageList during a fast stream', () => {
  afterEach(() => (chat.messages = []));

  it('does not snap back to the bottom after the user wheels up', async () => {
    setLocale('en');
    chat.messages = [msg('u', 'user', 'hi'), msg('a', 'assistant', 'start')];
    render(MessageList);
    const list = screen.getByTestId('message-list');
    let top = 0;
    let height = 5000;
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: () => height });
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => 400 });
    Object.defineProperty(list, 'scrollTop', {
      configurable: true,
      get: () => top,
      set: (v: number) => (top = Math.min(v, height - 400)),
    });
    const a = chat.messages[1]!;
    a.content += ' more';
    await tick();
    await tick();
    expect(top).toBe(height - 400); // following
    await fireEvent.wheel(list, { deltaY: -60 });
    top -= 12; // the first frame of a smooth scroll
    await fireEvent.scroll(list);
    for (let i = 0; i < 5; i++) {
      height += 200;
      a.content += ' token'.repeat(20);
      await tick();
      await tick();
    }
    expect(top).toBe(5000 - 400 - 12);
    expect(screen.getByTestId('scroll-bottom')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('scroll-bottom'));
    expect(top).toBe(height - 400);
  });
});

describe('a message opened from search', () => {
  afterEach(() => {
    chat.messages = [];
  });

  it('is marked as the hit', async () => {
    const { ui } = await import('../src/stores/ui.svelte');
    setLocale('en');
    chat.messages = [msg('u1', 'user', 'first'), { ...msg('a1', 'assistant', 'the hit is here'), status: 'complete' } as ChatMessage];
    render(MessageList);
    ui.scrollToMessage = 'a1';
    await vi.waitFor(() => expect(document.querySelector('[data-id="a1"]')?.classList.contains('search-hit')).toBe(true));
    expect(document.querySelector('[data-id="u1"]')?.classList.contains('search-hit')).toBe(false);
  });
});
