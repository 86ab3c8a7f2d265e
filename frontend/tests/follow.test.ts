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

describe('a long conversation', () => {
  afterEach(() => {
    chat.messages = [];
  });

  const long = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ...msg(`m${i}`, i % 2 ? 'assistant' : 'user', `message ${i}`), status: 'complete' }) as ChatMessage);
  const drawn = () => [...document.querySelectorAll('[data-testid=message-list] [data-id]')].map((e) => e.getAttribute('data-id'));

  /** The list's box in jsdom: 100 px per drawn message, one under the other, 400 px tall. */
  function layout(list: HTMLElement): { top: () => number; setTop: (v: number) => void } {
    let top = 0;
    const height = () => Math.max(400, list.querySelectorAll('[data-id]').length * 100);
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const i = [...list.querySelectorAll('[data-id]')].indexOf(this);
      const y = i < 0 ? 0 : i * 100 - top;
      return { top: y, bottom: y + 100, left: 0, right: 0, width: 0, height: 100, x: 0, y, toJSON: () => ({}) } as DOMRect;
    });
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: height });
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => 400 });
    Object.defineProperty(list, 'scrollTop', {
      configurable: true,
      get: () => top,
      set: (v: number) => (top = Math.max(0, Math.min(v, height() - 400))),
    });
    return { top: () => top, setTop: (v) => (top = v) };
  }

  it('draws its last 60 messages, and earlier ones 60 at a time where the view stays', async () => {
    setLocale('en');
    chat.messages = long(200);
    render(MessageList);
    const list = screen.getByTestId('message-list');
    const box = layout(list);
    await tick();
    expect(drawn()).toHaveLength(60);
    expect(drawn()[0]).toBe('m140');
    expect(drawn().at(-1)).toBe('m199');
    expect(screen.getByTestId('show-earlier').textContent?.trim()).toBe('Earlier messages (140)');

    // The user scrolls up to near the top: the 60 before are drawn above,
    // and what was on screen stays where it was (6,000 px further down).
    await fireEvent.wheel(list, { deltaY: -100 });
    box.setTop(120);
    await fireEvent.scroll(list);
    await tick();
    await tick();
    expect(drawn()).toHaveLength(120);
    expect(drawn()[0]).toBe('m80');
    expect(box.top()).toBe(120 + 6000);
    // That move was the list's own: it is not followed by another page.
    await fireEvent.scroll(list);
    await tick();
    expect(drawn()).toHaveLength(120);

    // The button draws the next 60, then the last 20; a new message at the
    // end moves nothing above.
    await fireEvent.click(screen.getByTestId('show-earlier'));
    await tick();
    await tick();
    expect(drawn()).toHaveLength(180);
    expect(screen.getByTestId('show-earlier').textContent?.trim()).toBe('Earlier messages (20)');
    await fireEvent.click(screen.getByTestId('show-earlier'));
    await tick();
    await tick();
    expect(drawn()).toHaveLength(200);
    expect(screen.queryByTestId('show-earlier')).toBeNull();
    chat.append(msg('m200', 'user', 'one more'));
    await tick();
    expect(drawn()).toHaveLength(201);
    expect(drawn()[0]).toBe('m0');
  });

  it('draws an early message opened from search, and marks it', async () => {
    const { ui } = await import('../src/stores/ui.svelte');
    setLocale('en');
    chat.messages = long(300);
    render(MessageList);
    layout(screen.getByTestId('message-list'));
    await tick();
    expect(drawn()).not.toContain('m3');
    ui.scrollToMessage = 'm3';
    await vi.waitFor(() => expect(document.querySelector('[data-id="m3"]')?.classList.contains('search-hit')).toBe(true));
    expect(drawn()[0]).toBe('m0');
    expect(drawn()).toHaveLength(300);
  });

  it('opening a long conversation never draws more than its last 60, not even for a frame', async () => {
    setLocale('en');
    chat.conversationId = 'short';
    chat.messages = long(10);
    render(MessageList);
    await tick();
    const list = screen.getByTestId('message-list');
    let added = 0;
    const seen = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) added += n.matches('[data-id]') ? 1 : n.querySelectorAll('[data-id]').length;
    });
    seen.observe(list, { childList: true, subtree: true });
    // What chat.open does: loading, the new id, the messages, loaded.
    chat.loading = true;
    chat.conversationId = 'long';
    chat.messages = long(300);
    chat.loading = false;
    await tick();
    await tick();
    seen.disconnect();
    expect(drawn()).toHaveLength(60);
    expect(added).toBe(60);
    chat.conversationId = '';
  });

  it('a short conversation draws everything, without the button', async () => {
    setLocale('en');
    chat.messages = long(60);
    render(MessageList);
    await tick();
    expect(drawn()).toHaveLength(60);
    expect(screen.queryByTestId('show-earlier')).toBeNull();
  });
});
