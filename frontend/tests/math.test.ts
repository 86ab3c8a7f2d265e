import { beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown, renderStreaming } from '../src/lib/markdown';
import { MarkdownStream } from '../src/lib/markdownStream';
import { MAX_TEX, mathTypesetCount } from '../src/lib/math';
import { loadRich } from '../src/lib/rich.svelte';

// As in the window once its first frame is out (tests/rich.test.ts covers before).
beforeAll(loadRich);

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

/** The TeX source KaTeX typeset, read back from its MathML annotation. */
function texOf(el: Element): string[] {
  return [...el.querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent ?? '');
}

describe('math', () => {
  it('typesets all four delimiters, inline and displayed', () => {
    const el = dom(renderMarkdown('Inline $a^2+b^2=c^2$ and \\(\\frac{1}{2}\\).\n\n$$\\sum_{i=1}^n i$$\n\n\\[\\int_0^1 x\\,dx\\]'));
    expect(texOf(el)).toEqual(['a^2+b^2=c^2', '\\frac{1}{2}', '\\sum_{i=1}^n i', '\\int_0^1 x\\,dx']);
    expect(el.querySelectorAll('.math-inline .katex').length).toBe(2);
    expect(el.querySelectorAll('.math-display .katex-display').length).toBe(2);
  });

  it('keeps the backslashes of \\( and \\[ (markdown would eat them as escapes)', () => {
    const el = dom(renderMarkdown('where \\(\\alpha \\le \\beta\\) holds'));
    expect(texOf(el)).toEqual(['\\alpha \\le \\beta']);
    expect(el.textContent).not.toContain('(\\alpha');
  });

  it('\\[…\\] inside a line is inline display math, and never swallows the text up to a later \\]', () => {
    const el = dom(renderMarkdown('a \\[b\\] c then more text a \\[d\\]'));
    expect(el.querySelector('p.math-block')).toBeNull();
    expect(texOf(el)).toEqual(['b', 'd']);
    expect(el.textContent).toContain('c then more text a');
  });

  it('a multi-line $$ block is one formula', () => {
    const el = dom(renderMarkdown('$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$'));
    expect(el.querySelectorAll('.katex-display').length).toBe(1);
    expect(texOf(el)[0]).toContain('\\begin{aligned}');
  });

  it('money is not math, and code keeps its dollars', () => {
    const el = dom(renderMarkdown('It costs $5 and $10. Run `echo $HOME $PATH` now.'));
    expect(el.querySelector('.katex')).toBeNull();
    expect(el.textContent).toContain('$5 and $10');
    expect(el.querySelector('code')?.textContent).toBe('echo $HOME $PATH');
  });

  it('a formula KaTeX rejects is shown as its source, as text', () => {
    const el = dom(renderMarkdown('bad $\\frac{1}{$ end and $\\undefinedmacro{x}$'));
    const errs = el.querySelectorAll('code.math-error');
    expect(errs.length).toBeGreaterThan(0);
    expect(el.textContent).toContain('\\undefinedmacro{x}');
  });

  it('is safe against hostile TeX', () => {
    const hostile = [
      '$\\href{javascript:alert(1)}{x}$',
      '$\\url{javascript:alert(1)}$',
      '$\\htmlClass{x}{y}\\htmlStyle{color:red}{z}\\htmlId{a}{b}\\htmlData{a=b}{c}$',
      '$\\includegraphics{https://evil/x.png}$',
      '$<img src=x onerror=alert(1)>$',
      '$$\\text{<script>alert(1)</script>}$$',
    ];
    for (const src of hostile) {
      const el = dom(renderMarkdown(src));
      expect(el.querySelector('script, img, a[href], [onerror], [id="a"], [data-a]')).toBeNull();
      // KaTeX may show the rejected command as text; nothing of it may become markup.
      for (const n of el.querySelectorAll('*')) {
        for (const a of n.attributes) {
          expect(a.name).not.toMatch(/^on|^href$|^src$/i);
          expect(a.value).not.toMatch(/javascript:/i);
        }
      }
    }
    // Macro bombs stop at maxExpand instead of hanging the window.
    const bomb = '$\\def\\a{\\b\\b}\\def\\b{\\c\\c}\\def\\c{\\d\\d}\\def\\d{\\e\\e}\\def\\e{\\f\\f}\\def\\f{\\g\\g}\\def\\g{\\h\\h}\\def\\h{\\i\\i}\\def\\i{xx}\\a\\a\\a\\a$';
    expect(dom(renderMarkdown(bomb)).querySelector('code.math-error')).not.toBeNull();
    // Huge sizes are clamped; over-long formulas are not typeset at all.
    const rule = dom(renderMarkdown('$\\rule{100000em}{100000em}$'));
    const styles = [...rule.querySelectorAll('[style]')].map((n) => n.getAttribute('style')).join(';');
    expect(styles).toContain('20em');
    expect(styles).not.toContain('100000em');
    const long = dom(renderMarkdown('$' + 'x+'.repeat(MAX_TEX) + 'x$'));
    expect(long.querySelector('.katex')).toBeNull();
    expect(long.querySelector('code.math-error')).not.toBeNull();
  });

  it('model text cannot forge a math placeholder', () => {
    const el = dom(renderMarkdown('$x$ then \uE0000\uE001 and \uE0001\uE001'));
    expect(el.querySelectorAll('.katex').length).toBe(1);
  });

  it('GFM task lists keep their checkboxes, disabled', () => {
    const el = dom(renderMarkdown('- [x] done\n- [ ] todo'));
    const boxes = [...el.querySelectorAll<HTMLInputElement>('input')];
    expect(boxes.map((b) => [b.type, b.checked, b.disabled])).toEqual([
      ['checkbox', true, true],
      ['checkbox', false, true],
    ]);
  });

  it('streaming renders math the same as the finished answer', () => {
    const text = 'Euler: $e^{i\\pi}+1=0$.\n\n\\[\n\\nabla\\cdot E = \\rho\n\\]\n\nDone \\(x\\).';
    const s = new MarkdownStream({ copy: 'Copy' });
    let html = '';
    for (let i = 1; i <= text.length; i += 7) html = flat(s.update(text.slice(0, i)));
    html = flat(s.update(text, true));
    expect(texOf(dom(html))).toEqual(texOf(dom(renderMarkdown(text))));
    expect(texOf(dom(renderStreaming(text).join('')))).toEqual(['e^{i\\pi}+1=0', '\\nabla\\cdot E = \\rho', 'x']);
  });

  it('typesets each formula of a streamed answer once, not on every update', () => {
    const text = 'Let $\\alpha_1$ be small.\n\nThen $$\\int_0^\\infty e^{-x}\\,dx = 1$$ and \\(\\beta_2\\) follow, as does $\\gamma_3$ here.';
    const s = new MarkdownStream({ copy: 'Copy' });
    const before = mathTypesetCount();
    for (let i = 1; i <= text.length; i++) s.update(text.slice(0, i));
    s.update(text, true);
    // Partial formulas typeset as they grow are bounded by the text length;
    // the finished ones are typeset once, not once per update.
    const afterStream = mathTypesetCount();
    for (let i = 0; i < 50; i++) renderMarkdown(text + ' '.repeat(i % 3), { copy: 'Copy' }, false);
    expect(mathTypesetCount()).toBe(afterStream);
    expect(afterStream - before).toBeLessThan(text.length);
  });

  // Fixed work, slow only on a busy machine: the bound catches a hang, not a slow CPU.
  it('a long streaming paragraph is never cut inside a formula', { timeout: 10 * 60_000 }, () => {
    const sentence = 'The value $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$ and \\(a + b\\) are shown. ';
    const text = sentence.repeat(40);
    const s = new MarkdownStream({ copy: 'Copy' }, { min: 64, slack: 32, max: 512 });
    const html = flat(s.update(text));
    expect(texOf(dom(html)).length).toBe(80);
    expect(dom(html).querySelector('.math-error')).toBeNull();
  });
});

function flat(blocks: unknown[]): string {
  return blocks
    .map((b) =>
      typeof b === 'string'
        ? b
        : 'parts' in (b as object)
          ? (b as { parts: string[] }).parts.join('')
          : `<p>${(b as { pieces: string[] }).pieces.join('')}</p>`,
    )
    .join('');
}
