import { beforeAll, describe, expect, it } from 'vitest';
import { markdownRenderChars, markdownRenderCount, renderMarkdown, renderStreaming, sanitizeHtml, splitBlocks } from '../src/lib/markdown';
import { loadRich } from '../src/lib/rich.svelte';

// As in the window once its first frame is out (tests/rich.test.ts covers before).
beforeAll(loadRich);

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('markdown sanitization', () => {
  it('neutralizes <script> in model output', () => {
    const el = dom(renderMarkdown('Hello <script>window.pwned = 1</script> there\n\n<script>alert(1)</script>'));
    expect(el.querySelector('script')).toBeNull();
    expect(el.innerHTML).not.toMatch(/<script/i);
  });

  it('neutralizes <img onerror> and other event handlers', () => {
    const el = dom(renderMarkdown('<img src=x onerror="alert(1)">\n\n<div onclick="alert(2)">hi</div>'));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[onerror]')).toBeNull();
    expect(el.querySelector('[onclick]')).toBeNull();
  });

  it('neutralizes javascript: links (markdown and autolink forms)', () => {
    const el = dom(renderMarkdown('[click](javascript:alert(1)) and [x](JaVaScRiPt:alert(2)) and <javascript:alert(3)>'));
    for (const a of el.querySelectorAll('a')) {
      expect(a.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
    }
    expect(el.innerHTML).not.toMatch(/href="\s*javascript:/i);
  });

  it('the sanitizer alone strips raw dangerous HTML (second line of defence)', () => {
    const el = dom(
      sanitizeHtml(
        '<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><iframe src="https://evil"></iframe><svg onload=alert(1)></svg><form action="https://evil"><input></form><p style="background:url(x)">s</p>',
      ),
    );
    expect(el.querySelector('script, img, iframe, form, input, [onload], [onerror], [style]')).toBeNull();
    expect(el.querySelector('a')?.getAttribute('href')).toBeNull();
    expect(el.querySelector('p')?.textContent).toBe('ok');
  });

  it('keeps safe links, opening them outside the app', () => {
    const a = dom(renderMarkdown('[docs](https://example.com/x)')).querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/x');
    expect(a.getAttribute('rel')).toContain('noopener');
  });
});

describe('markdown rendering', () => {
  it('highlights code blocks and adds a copy button', () => {
    const el = dom(renderMarkdown('```python\ndef f(x):\n    return "hi"\n```', { copy: '复制' }));
    const code = el.querySelector('pre code')!;
    expect(code.className).toContain('language-python');
    expect(code.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code.textContent).toBe('def f(x):\n    return "hi"');
    const btn = el.querySelector('button[data-code-copy]')!;
    expect(btn.textContent).toBe('复制');
  });

  it('escapes code in unknown languages', () => {
    const el = dom(renderMarkdown('```brainfuck\n<b>not bold</b>\n```'));
    expect(el.querySelector('pre code b')).toBeNull();
    expect(el.querySelector('pre code')!.textContent).toContain('<b>not bold</b>');
  });

  it('renders GFM tables inside a scroll wrapper', () => {
    const el = dom(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |'));
    expect(el.querySelector('.table-wrap > table')).not.toBeNull();
    expect(el.querySelectorAll('td').length).toBe(2);
  });

  it('does not re-parse finished text (cache)', () => {
    const src = '# cached once\n\nsome text';
    renderMarkdown(src);
    const before = markdownRenderCount();
    renderMarkdown(src);
    renderMarkdown(src);
    expect(markdownRenderCount()).toBe(before);
  });
});

describe('streaming render', () => {
  it('splits at blank lines but never inside fenced code', () => {
    const src = 'para one\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\npara two';
    const blocks = splitBlocks(src);
    expect(blocks.length).toBe(3);
    expect(blocks[1]).toContain('const a = 1;\n\nconst b = 2;');
    expect(blocks.join('\n')).toBe(src);
  });

  it('does not split before indented continuation lines', () => {
    expect(splitBlocks('1. item\n\n    more of item\n').length).toBe(1);
  });

  it('re-parses only the growing tail while streaming', () => {
    const head = Array.from({ length: 50 }, (_, i) => `Paragraph ${i} of the growing tail test`).join('\n\n');
    renderStreaming(head + '\n\ntail'); // warm the cache for finished blocks
    const before = markdownRenderCount();
    renderStreaming(head + '\n\ntail grows');
    renderStreaming(head + '\n\ntail grows more');
    expect(markdownRenderCount() - before).toBe(2); // just the tail, twice
  });

  // How fast this is, frame by frame, is measured by `make bench-frontend`
  // (tests/markdown.bench.ts); what keeps it fast is checked here: no frame
  // parses again text that was a finished block in the frame before.
  // Synchronous, fixed work (300 renders of a growing answer, about 1.5 s at
  // load 9): Vitest could only fail it after the fact, so no 5 s timeout.
  it('parses only the blocks still open in each frame of a 10,000-token answer', { timeout: 10 * 60_000 }, () => {
    const para = 'Lorem ipsum **dolor** sit amet, `code` consectetur adipiscing elit, sed do eiusmod tempor. ';
    let src = '';
    let finished = 0; // characters of src in blocks that were final a frame ago
    // ~10k tokens arriving in 300 frame-sized chunks
    for (let i = 0; i < 300; i++) {
      src += para.repeat(1) + (i % 5 === 4 ? '\n\n' : '') + (i % 40 === 0 ? '```go\nfunc main() {}\n```\n\n' : '');
      const before = markdownRenderChars();
      renderStreaming(src);
      expect(markdownRenderChars() - before, `frame ${i}`).toBeLessThanOrEqual(src.length - finished);
      finished = splitBlocks(src)
        .slice(0, -1)
        .reduce((n, b) => n + b.length + 1, 0);
    }
    expect(finished).toBeGreaterThan(25_000);
  });
});
