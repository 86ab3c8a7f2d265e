import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { renderBlocks, sanitizeHtml } from '../src/lib/markdown';
import { highlight } from '../src/lib/highlight';
import { MarkdownStream, PART_LINES, splitLines, type CodeParts, type StreamBlock } from '../src/lib/markdownStream';
import Markdown from '../src/components/chat/Markdown.svelte';

const labels = { copy: 'Copy' };

/** The DOM a list of blocks makes, as Markdown.svelte builds it. */
function dom(blocks: StreamBlock[]): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = blocks
    .map((b) =>
      typeof b === 'string'
        ? b
        : `<div class="code-block">${b.head}<pre><code class="${b.cls}">${b.parts.map((p) => `<span>${p}</span>`).join('')}</code></pre></div>`,
    )
    .join('');
  return el;
}

/**
 * What a reader sees: the elements in order (parts unwrapped), the text
 * (whitespace between blocks does not show, so none counts), and each
 * code block's text exactly but for a last newline (which does not show
 * either: an open block's text ends in one when the source does).
 */
function seen(el: HTMLElement): { tags: string; text: string; code: string[] } {
  const tags = Array.from(el.querySelectorAll('*'))
    .filter((e) => !(e.tagName === 'SPAN' && e.parentElement?.tagName === 'CODE' && !e.className))
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
    .join(' ');
  const code = Array.from(el.querySelectorAll('pre code'), (c) => (c.textContent ?? '').replace(/\n$/, ''));
  return { tags, text: (el.textContent ?? '').replace(/\s+/g, ''), code };
}

// Small seeded random numbers: the same chunking on every run.
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const lines = (n: number, w = (i: number) => `line ${i} := value${i}`) => Array.from({ length: n }, (_, i) => w(i + 1)).join('\n');

const DOC = [
  '# Title',
  'A paragraph with **bold**, `code` and a [link](https://example.com).',
  '- one\n- two\n  continued\n- three',
  'Here is the code:\n```go\n' + lines(95) + '\n```',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '~~~\n' + lines(50, (i) => `plain <b>${i}</b> & more`) + '\n~~~',
  '1. first\n\n   ```sh\n   echo indented\n   ```\n2. second',
  '```\n' + lines(130),
].join('\n\n');

describe('MarkdownStream', () => {
  it('shows what renderBlocks shows, at every step of a stream', () => {
    const next = rng(7);
    const s = new MarkdownStream(labels);
    for (let at = 0; at < DOC.length; ) {
      at = Math.min(DOC.length, at + 1 + Math.floor(next() * 40));
      const src = DOC.slice(0, at);
      const got = seen(dom(s.update(src)));
      const want = seen(dom(renderBlocks(src, labels, true)));
      expect(got, `after ${at} characters`).toEqual(want);
    }
  });

  it('renders the finished parts of an open code block once and keeps them as they were', () => {
    const s = new MarkdownStream(labels);
    const code = lines(5 * PART_LINES + 7);
    let prev: string[] = [];
    for (let at = 12; at <= code.length; at += 97) {
      const blocks = s.update('Intro.\n\n```go\n' + code.slice(0, at));
      expect(blocks).toHaveLength(2);
      const last = blocks[1]!;
      if (typeof last === 'string') throw new Error('an open code block was rendered whole');
      const done = Math.floor(code.slice(0, at).split('\n').length - 1) / PART_LINES;
      expect(last.parts.length).toBe(Math.floor(done) + 1);
      // Parts finished before are the very same strings: Svelte leaves their DOM alone.
      prev.forEach((p, i) => i < last.parts.length - 1 && expect(last.parts[i]).toBe(p));
      prev = last.parts.slice(0, -1);
      expect(last.parts.slice(0, -1).every((p) => p.endsWith('\n'))).toBe(true);
    }
    expect(prev).toHaveLength(5);
  });

  it('renders the finished answer as renderBlocks does', () => {
    const s = new MarkdownStream(labels);
    for (let at = 100; at < DOC.length; at += 100) s.update(DOC.slice(0, at));
    expect(seen(dom(s.update(DOC, true)))).toEqual(seen(dom(renderBlocks(DOC, labels))));
    const refs = 'See [the docs][d].\n\n[d]: https://example.com';
    expect(new MarkdownStream(labels).update(refs, true)).toEqual(renderBlocks(refs, labels));
  });

  it('keeps the parts of a code block whose highlighting does not change when it closes', () => {
    const s = new MarkdownStream(labels);
    const code = lines(3 * PART_LINES + 5);
    const open = s.update('```go\n' + code)[0] as CodeParts;
    const closed = s.update('```go\n' + code + '\n```')[0] as CodeParts;
    expect(closed.parts).toHaveLength(4);
    closed.parts.slice(0, 3).forEach((p, i) => expect(p).toBe(open.parts[i]));
    expect(closed.parts.join('')).toBe(sanitizeHtml(highlight(code, 'go')!));
    const done = s.update('```go\n' + code + '\n```', true)[0] as CodeParts;
    expect(done.parts).toEqual(closed.parts);
  });

  it('colours a comment spanning parts exactly once the block is closed', () => {
    const s = new MarkdownStream(labels);
    const code = lines(PART_LINES - 2) + '\n/* a comment\nover\nthree lines */\nx := 1';
    const blocks = s.update('```go\n' + code + '\n```', true);
    const parts = (blocks[0] as CodeParts).parts;
    expect(parts).toHaveLength(2);
    // The comment's span is closed at the cut and opened again after it.
    expect(parts[0]).toMatch(/<span class="hljs-comment">\/\* a comment\nover\n<\/span>$/);
    expect(parts[1]).toMatch(/^<span class="hljs-comment">three lines \*\/<\/span>/);
    expect(parts.join('').replace(/<\/span><span class="hljs-comment">/, '')).toBe(sanitizeHtml(highlight(code, 'go')!));
  });

  it('starts over when the text is not a continuation', () => {
    const s = new MarkdownStream(labels);
    s.update('first answer\n\n```\n' + lines(60));
    const got = s.update('another **one**');
    expect(got).toEqual(renderBlocks('another **one**', labels, true));
  });

  it('keeps code inert: markup in code is text', () => {
    const s = new MarkdownStream(labels);
    const blocks = s.update('```html\n' + lines(45, () => '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'));
    const el = dom(blocks);
    expect(el.querySelector('img, script')).toBeNull();
    expect(el.textContent).toContain('<script>window.pwned=2</script>');
  });
});

describe('splitLines', () => {
  it('cuts after every n lines and keeps spans balanced in each part', () => {
    expect(splitLines('a\nb\nc', 2)).toEqual(['a\nb\n', 'c']);
    expect(splitLines('a\nb\n', 2)).toEqual(['a\nb\n', '']);
    expect(splitLines('<span class="x">a\nb</span>\nc', 1)).toEqual(['<span class="x">a\n</span>', '<span class="x">b</span>\n', 'c']);
    expect(splitLines('no newline', 40)).toEqual(['no newline']);
  });
});

describe('Markdown while streaming', () => {
  it('shows a long code block in parts, with the whole code to copy, and keeps them when it completes', async () => {
    const code = lines(2 * PART_LINES + 10);
    const { container, rerender } = render(Markdown, { props: { source: '```go\n' + code, streaming: true } });
    expect(container.querySelectorAll('code .part')).toHaveLength(3);
    expect(container.querySelector('code')!.textContent).toBe(code);
    const first = container.querySelector('code .part');
    await rerender({ source: '```go\n' + code + '\n```', streaming: false });
    expect(container.querySelectorAll('code .part')).toHaveLength(3);
    expect(container.querySelector('code .part')).toBe(first); // the same element: no new layout
    expect(container.querySelector('code')!.textContent).toBe(code);
  });

  it('renders an answer opened from history whole', () => {
    const code = lines(2 * PART_LINES + 10);
    const { container } = render(Markdown, { props: { source: '```go\n' + code + '\n```' } });
    expect(container.querySelectorAll('code .part')).toHaveLength(0);
    expect(container.querySelector('code')!.textContent).toBe(code);
  });
});
