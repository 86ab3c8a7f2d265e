import { describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import Markdown from '../src/components/chat/Markdown.svelte';
import { markdownRenderCount, renderMarkdown } from '../src/lib/markdown';
import { MarkdownStream } from '../src/lib/markdownStream';
import { loadRich, rich } from '../src/lib/rich.svelte';

// KaTeX and highlight.js load after the window's first paint. These tests
// run in order in one module state: first before loading, then after.
const answer = 'Euler: $e^{i\\pi} + 1 = 0$\n\n```go\nfunc main() {}\n```\n';

describe('answers rendered before KaTeX and highlight.js are loaded', () => {
  it('show math as source and code escaped, uncached, ask for them, and come out in full once they load', async () => {
    expect(rich.ready).toBe(false);
    const html = renderMarkdown(answer);
    const div = document.createElement('div');
    div.innerHTML = html;
    expect(div.querySelector('code.math-pending')?.textContent).toBe('$e^{i\\pi} + 1 = 0$');
    expect(div.querySelector('.katex')).toBeNull();
    expect(div.querySelector('pre code')?.textContent).toBe('func main() {}');
    expect(div.querySelector('pre code span')).toBeNull(); // no highlight.js spans
    const n = markdownRenderCount();
    renderMarkdown(answer);
    expect(markdownRenderCount()).toBe(n + 1);

    // Rendering synchronously, before anything has had time to load.
    const shown = render(Markdown, { props: { source: answer } });
    const streamed = render(Markdown, { props: { source: answer, streaming: true } });
    for (const c of [shown.container, streamed.container]) {
      expect(c.querySelector('.math-pending')).not.toBeNull();
      expect(c.querySelector('.katex')).toBeNull();
    }
    // Nobody called loadRich: rendering asked for them.
    await vi.waitFor(() => expect(rich.ready).toBe(true));
    await tick();
    for (const c of [shown.container, streamed.container]) {
      expect(c.querySelector('.math-pending')).toBeNull();
      expect(c.querySelector('.katex annotation')?.textContent).toBe('e^{i\\pi} + 1 = 0');
      expect(c.querySelector('pre code .hljs-keyword')?.textContent).toBe('func');
    }
  });

  it('render in full and cached after', async () => {
    await loadRich();
    expect(rich.ready).toBe(true);
    expect(new MarkdownStream({ copy: 'Copy' }).rich).toBe(true);
    const html = renderMarkdown(answer);
    expect(html).toContain('class="katex"');
    const n = markdownRenderCount();
    expect(renderMarkdown(answer)).toBe(html);
    expect(markdownRenderCount()).toBe(n);
  });
});
