// TeX math in answers, rendered with KaTeX: $…$ and \(…\) inline, $$…$$
// and \[…\] displayed. DeepSeek, Qwen and Kimi write LaTeX constantly, and
// plain markdown ate the backslashes of \( and \[ (they are escapes there).
//
// Marked finds the math (its tokenizers run before markdown's escapes) and
// leaves a placeholder; KaTeX's HTML replaces the placeholder after
// DOMPurify has run, because KaTeX needs style attributes that the
// sanitizer strips from everything else. That is safe because KaTeX builds
// its output from the TeX alone with trust:false (no \href, \url,
// \includegraphics, \htmlClass…), escapes every character it shows, and is
// bounded here: a formula over MAX_TEX characters is not typeset, macro
// expansion stops at maxExpand, sizes at maxSize; a formula KaTeX rejects is
// shown as its source, as text.
//
// KaTeX (and its CSS and fonts) is a chunk of its own, loaded after the
// window's first paint (see rich.svelte.ts); a formula rendered before that
// is shown as its source (class math-pending), not cached, and rendered
// again once KaTeX is there.
import type Katex from 'katex';
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from './markdown';

let katex: typeof Katex | null = null;

/** Loads KaTeX and its stylesheet; typeset() shows the source until this has resolved. */
export async function loadMath(): Promise<void> {
  if (katex) return;
  const [mod] = await Promise.all([import('katex'), import('katex/dist/katex.min.css')]);
  katex = mod.default;
}

/** Longer formulas are shown as typed, not typeset. */
export const MAX_TEX = 4000;

const OPTS = {
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  maxSize: 20,
  maxExpand: 300,
  output: 'htmlAndMathml',
} as const;

// Placeholders: private-use characters that model text cannot contain (they
// are replaced on the way in, see stripMarkers).
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

/** Model text with our placeholder characters made harmless. */
export function stripMarkers(src: string): string {
  return src.includes(OPEN) || src.includes(CLOSE) ? src.replace(/[\uE000\uE001]/g, '\uFFFD') : src;
}

// The growing tail of a streamed answer is rendered again on every update,
// and each formula in it with it: typeset results are kept (small LRU).
const CACHE_MAX = 500;
const cache = new Map<string, string>();
let typesetCount = 0;
/** How many formulas KaTeX has typeset so far (tests use it to prove caching). */
export function mathTypesetCount(): number {
  return typesetCount;
}

/** TeX → HTML, or the source as text (class math-error) when it cannot be typeset. */
export function typeset(tex: string, display: boolean, raw = tex): string {
  if (!katex) return `<code class="math-pending">${escapeHtml(raw)}</code>`;
  const key = (display ? 'D' : 'I') + tex;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const html = typesetUncached(tex, display);
  if (html === null) return `<code class="math-error">${escapeHtml(raw)}</code>`;
  cache.set(key, html);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return html;
}

/** KaTeX's HTML, or null when the formula is too long or KaTeX rejects it. */
function typesetUncached(tex: string, display: boolean): string | null {
  if (!katex) return null;
  typesetCount++;
  const cls = display ? 'math math-display' : 'math math-inline';
  if (tex.length > MAX_TEX) return null;
  try {
    return `<span class="${cls}">${katex.renderToString(tex, { ...OPTS, displayMode: display })}</span>`;
  } catch {
    return null;
  }
}

/** Math collected while marked renders one text; its placeholders are filled after sanitizing. */
export class MathSlots {
  private items: string[] = [];
  add(tex: string, display: boolean, raw: string): string {
    this.items.push(typeset(tex, display, raw));
    return `${OPEN}${this.items.length - 1}${CLOSE}`;
  }
  fill(html: string): string {
    if (!this.items.length) return html;
    const out = html.replace(MARKER, (_, i: string) => this.items[Number(i)] ?? '');
    this.items = [];
    return out;
  }
  clear(): void {
    this.items = [];
  }
}

interface MathToken extends Tokens.Generic {
  tex: string;
  display: boolean;
}

// $$…$$ or \[…\] alone on its lines (the body holds no $$ or \] of its own).
const BLOCK = /^ {0,3}(?:\$\$((?:[^$]|\$(?!\$))+?)\$\$|\\\[((?:[^\\]|\\(?!\]))+?)\\\])[ \t]*(?:\n|$)/;
// Inline: $$…$$, \(…\), \[…\], and $…$ by pandoc's rule (no space inside
// either dollar, no digit right after the closing one: "$5 and $10" is money).
const INLINE = /^(?:\$\$([^]+?)\$\$|\\\(([^]+?)\\\)|\\\[([^]+?)\\\]|\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<![\s\\])\$(?!\d))/;

/** A marked extension that turns math into placeholders filled from slots. */
export function mathExtension(slots: MathSlots): MarkedExtension {
  return {
    extensions: [
      {
        name: 'mathBlock',
        level: 'block',
        // Marked asks where a block may start in the text after a paragraph's
        // first character: only at the start of a line.
        start: (src: string) => {
          const m = /\n {0,3}(?:\$\$|\\\[)/.exec(src);
          return m ? m.index + 1 : undefined;
        },
        tokenizer(src: string): MathToken | undefined {
          const m = BLOCK.exec(src);
          if (!m) return undefined;
          return { type: 'mathBlock', raw: m[0], tex: (m[1] ?? m[2]!).trim(), display: true };
        },
        renderer: (t) => `<p class="math-block">${slots.add((t as MathToken).tex, true, t.raw.trim())}</p>\n`,
      },
      {
        name: 'mathInline',
        level: 'inline',
        start: (src: string) => src.match(/\$|\\[([]/)?.index,
        tokenizer(src: string): MathToken | undefined {
          const m = INLINE.exec(src);
          if (!m) return undefined;
          const display = m[1] !== undefined || m[3] !== undefined;
          return { type: 'mathInline', raw: m[0], tex: (m[1] ?? m[2] ?? m[3] ?? m[4]!).trim(), display };
        },
        renderer: (t) => slots.add((t as MathToken).tex, (t as MathToken).display, t.raw),
      },
    ],
  };
}
