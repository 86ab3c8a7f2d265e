import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { markdownRenderChars, markdownRenderCount, renderBlocks, sanitizeHtml } from '../src/lib/markdown';
import { highlight } from '../src/lib/highlight';
import {
  MarkdownStream,
  PART_LINES,
  PIECE_CHARS,
  splitLines,
  type CodeParts,
  type ParagraphPieces,
  type StreamBlock,
} from '../src/lib/markdownStream';
import Markdown from '../src/components/chat/Markdown.svelte';
import { loadRich } from '../src/lib/rich.svelte';

// As in the window once its first frame is out (tests/rich.test.ts covers before).
beforeAll(loadRich);

const labels = { copy: 'Copy' };

/** The DOM a list of blocks makes, as Markdown.svelte builds it. */
function dom(blocks: StreamBlock[]): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = blocks
    .map((b) =>
      typeof b === 'string'
        ? b
        : 'pieces' in b
          ? `<p>${b.pieces.map((p) => `<span class="piece">${p}</span>`).join('')}</p>`
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
    .filter((e) => !(e.tagName === 'SPAN' && e.parentElement?.tagName === 'CODE' && !e.className) && !e.classList.contains('piece'))
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
    .join(' ');
  const code = Array.from(el.querySelectorAll('pre code'), (c) => (c.textContent ?? '').replace(/\n$/, ''));
  return { tags, text: (el.textContent ?? '').replace(/\s+/g, ''), code };
}

// Small seeded random numbers: the same chunking on every run.
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

// The property tests below are synchronous and do fixed work: seeded
// chunkings of fixed texts, each step rendered by MarkdownStream and by
// renderBlocks and both parsed into a DOM to compare. A few hundred steps
// over texts of 6,000 to 9,000 characters, so the work grows with the
// square of the size: 3 to 8 s each for this file alone at load 7 on two
// cores, up to 27 s beside the other test files at load 9. Vitest cannot
// stop a synchronous test at its timeout, only fail it once it has
// finished, so the 5 s default guards against nothing here and only turns
// a busy machine into a failure. FIXED_WORK is long enough never to matter
// unless an edit made the work enormous.
const FIXED_WORK = { timeout: 10 * 60_000 };

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
  it('shows what renderBlocks shows, at every step of a stream', FIXED_WORK, () => {
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
      if (typeof last === 'string' || !('parts' in last)) throw new Error('an open code block was rendered whole');
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

/** The words a reader sees, in order: text with its spaces, runs of them as one. */
const words = (el: HTMLElement) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Streams src in seeded random chunks of up to max characters; calls check after each. */
function stream(src: string, max: number, check: (s: MarkdownStream, at: number, blocks: StreamBlock[]) => void): MarkdownStream {
  const next = rng(11);
  const s = new MarkdownStream(labels);
  for (let at = 0; at < src.length; ) {
    at = Math.min(src.length, at + 1 + Math.floor(next() * max));
    check(s, at, s.update(src.slice(0, at)));
  }
  return s;
}

// Prose with inline markup of every kind, English and Chinese, in one paragraph.
const SENTENCES = [
  'The **gateway** forwards `temperature: 0` as sent, see [the docs](https://example.com/docs) for why.',
  'A snake_case name like max_tokens or *emphasis* spanning several words is fine;',
  '流式输出会逐步显示，每一段只渲染一次。',
  'Strike ~~this~~ and keep <b>raw tags</b> as text (they are escaped)!',
  'Is `a * b` a product? Yes: 2 * 3 = 6, says <span title="a *b* c, or _d_ e">this tag</span>.',
  '**Bold that runs on. Over several sentences! And more.** Then [a link. With stops.](https://example.com) and `code. with. stops.` end.',
  '模型的回答很长时，窗口也要跟得上！',
];
const prose = (n: number) => Array.from({ length: n }, (_, i) => SENTENCES[i % SENTENCES.length]).join(' ');

describe('MarkdownStream on a long paragraph', () => {
  // Every delimiter of the first is matched, so its end is not rendered
  // whole again; the second leaves a * as typed ("2 * 3"), so it is.
  it.each([
    ['all its markup matched', SENTENCES.filter((x) => !x.includes('2 * 3')), false],
    ['a * left as typed', SENTENCES, true],
  ])('shows it in pieces that read exactly as the whole paragraph, at every step: %s', FIXED_WORK, (_, sentences, whole) => {
    const para = 'Intro paragraph.\n\n' + Array.from({ length: 110 }, (_, i) => sentences[i % sentences.length]).join(' ');
    let most = 0;
    const s = stream(para, 90, (_, at, blocks) => {
      const want = dom(renderBlocks(para.slice(0, at), labels, true));
      const got = dom(blocks);
      expect(seen(got), `after ${at} characters`).toEqual(seen(want));
      expect(words(got), `after ${at} characters`).toBe(words(want));
      const last = blocks[blocks.length - 1]!;
      if (typeof last !== 'string' && 'pieces' in last) most = Math.max(most, last.pieces.length);
    });
    expect(most).toBeGreaterThanOrEqual(3);
    // Complete, it reads as renderBlocks renders it, and keeps the pieces it had.
    const last = s.update(para.slice(0, -1)).at(-1) as ParagraphPieces;
    const chars = markdownRenderChars();
    const done = s.update(para, true);
    const parsed = markdownRenderChars() - chars;
    expect(seen(dom(done))).toEqual(seen(dom(renderBlocks(para, labels))));
    expect(words(dom(done))).toBe(words(dom(renderBlocks(para, labels))));
    const kept = done.at(-1) as ParagraphPieces;
    expect(kept.pieces.slice(0, -1)).toEqual(last.pieces.slice(0, -1));
    kept.pieces.slice(0, -1).forEach((p, i) => expect(p).toBe(last.pieces[i]));
    if (whole) expect(parsed).toBeGreaterThan(para.length / 2);
    else expect(parsed).toBeLessThan(PIECE_CHARS + 1024);
  });

  it('reads as the whole paragraph for random prose with markup anywhere', FIXED_WORK, () => {
    const TOKENS = [
      'alpha', 'beta', 'gamma', 'delta', 'said.', 'why?', 'yes!', '流式。', '输出', 'snake_case', 'x_1',
      '**two words**', '*one*', '_lean_', '~~gone~~', '`x * y`', '``a ` b``', '[link text](https://example.com/a)',
      '<span title="a *b* c">', '</span>', '2 * 3', 'a_b_c', '**bold.** more', '(aside)', '&amp;', '\\*not em\\*', '\\`tick', 'a \\{b', 'a \\[b\\] c', 'c\\\\', '<b', 'x >', '-', '- x', '#', '# h', '1.', '2)', '>', '+', '|', '==', '---', '***', '[ref]:', '    ',
    ];
    // Small pieces, so that there is a cut every few tokens.
    const sizes = { min: 24, slack: 16, max: 400 };
    for (let seed = 1; seed <= 24; seed++) {
      const next = rng(seed);
      const words_: string[] = [];
      for (let n = 0; n < 1000; ) {
        const w = TOKENS[Math.floor(next() * TOKENS.length)]!;
        words_.push(w);
        n += w.length + 1;
      }
      const para = words_.join(' ');
      const s = new MarkdownStream(labels, sizes);
      for (let at = 7 * seed; ; at += 53) {
        const src = para.slice(0, Math.min(at, para.length));
        const final = at >= para.length;
        const got = dom(s.update(src, final));
        const want = dom(renderBlocks(src, labels, !final));
        expect(seen(got), `seed ${seed}, after ${src.length} characters`).toEqual(seen(want));
        expect(words(got), `seed ${seed}, after ${src.length} characters`).toBe(words(want));
        if (final) break;
      }
    }
  });

  it('replaces the pieces with the whole render when that reads differently', () => {
    // Emphasis that opens, and stays open past 4 × PIECE_CHARS characters, where a cut is made anyway.
    const para = prose(40) + ' _' + prose(130).replace(/_/g, '-') + ' the end of it._ ' + prose(5);
    const s = new MarkdownStream(labels);
    let cut = false;
    for (let at = 200; at < para.length; at += 200) {
      const last = s.update(para.slice(0, at)).at(-1)!;
      cut ||= typeof last !== 'string' && 'pieces' in last && last.pieces.join('').includes('_');
    }
    expect(cut).toBe(true); // shown as typed while it streamed
    const done = s.update(para, true);
    expect(done).toEqual(renderBlocks(para, labels));
    expect(Array.from(dom(done).querySelectorAll('em'), (e) => e.textContent).join()).toContain('the end of it.');
  });

  it('renders each piece once, keeps it as it was, and re-renders only the last', FIXED_WORK, () => {
    // The window benchmark's worst case: one line of 10,000 words, no sentence ends.
    const flat = Array.from({ length: 10000 }, (_, i) => ` w${i + 1}`).join('');
    let prev: string[] = [];
    let updates = 0;
    const before = markdownRenderCount();
    const s = stream(flat, 300, (_, at, blocks) => {
      updates++;
      expect(blocks).toHaveLength(1);
      const b = blocks[0]!;
      if (at <= PIECE_CHARS + 600) return;
      if (typeof b === 'string' || !('pieces' in b)) throw new Error(`rendered whole after ${at} characters`);
      prev.forEach((p, i) => expect(b.pieces[i]).toBe(p));
      prev = b.pieces.slice(0, -1);
      // What is parsed again on each update stays small however long the paragraph grows.
      expect(b.pieces[b.pieces.length - 1]!.length).toBeLessThan(2 * PIECE_CHARS);
    });
    const renders = markdownRenderCount() - before;
    // One parse per update (the live piece, or the whole tail while short) plus one per finished piece.
    expect(renders).toBeLessThanOrEqual(updates + prev.length);
    expect(prev.length).toBeGreaterThanOrEqual(Math.floor(flat.length / (2 * PIECE_CHARS)));
    const el = dom([{ pieces: [...prev, ''] } as ParagraphPieces]);
    expect(words(el)).toBe(flat.slice(0, words(el).length + 1).trim());
    // Its end parses only the last piece again.
    const chars = markdownRenderChars();
    const done = s.update(flat, true);
    expect(markdownRenderChars() - chars).toBeLessThan(PIECE_CHARS + 1024);
    expect(words(dom(done))).toBe(flat.trim());
  });

  it('falls back to the whole render when a line may start another block', FIXED_WORK, () => {
    const para = prose(60) + '\n- a list item\n- another\n' + prose(10);
    stream(para, 80, (_, at, blocks) => {
      expect(seen(dom(blocks)), `after ${at} characters`).toEqual(seen(dom(renderBlocks(para.slice(0, at), labels, true))));
    });
    const heading = prose(60) + '\n===\n';
    expect(seen(dom(new MarkdownStream(labels).update(heading)))).toEqual(seen(dom(renderBlocks(heading, labels, true))));
  });

  it('keeps the pieces inert: markup in model output never runs', FIXED_WORK, () => {
    const evil = ' <img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> [click](javascript:alert(1)) ';
    const para = prose(20) + evil + prose(40) + evil + prose(5);
    stream(para, 200, (_, at, blocks) => {
      const el = dom(blocks);
      expect(el.querySelector('img, script'), `after ${at} characters`).toBeNull();
      el.querySelectorAll('a').forEach((a) => expect(a.getAttribute('href') ?? '').not.toMatch(/^javascript:/i));
    });
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

  it('shows a long paragraph as one <p> of pieces while it grows, and keeps them when it ends', async () => {
    const para = prose(100);
    const { container, rerender } = render(Markdown, { props: { source: para.slice(0, -20), streaming: true } });
    expect(container.querySelectorAll('p')).toHaveLength(1);
    expect(container.querySelectorAll('p > .piece').length).toBeGreaterThan(2);
    expect(words(container)).toBe(words(dom(renderBlocks(para.slice(0, -20), labels))));
    const first = container.querySelector('.piece');
    await rerender({ source: para, streaming: false });
    expect(container.querySelectorAll('p')).toHaveLength(1);
    expect(container.querySelector('.piece')).toBe(first); // the same element: no new layout
    expect(words(container)).toBe(words(dom(renderBlocks(para, labels))));
  });

  it('renders an answer opened from history whole', () => {
    const code = lines(2 * PART_LINES + 10);
    const { container } = render(Markdown, { props: { source: '```go\n' + code + '\n```' } });
    expect(container.querySelectorAll('code .part')).toHaveLength(0);
    expect(container.querySelector('code')!.textContent).toBe(code);
  });
});
