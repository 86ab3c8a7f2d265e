import { Marked, type Tokens } from 'marked';
import DOMPurify from 'dompurify';
import { highlight } from './highlight';
import { MathSlots, mathExtension, stripMarkers } from './math';
import { loadRich, rich } from './rich.svelte';

export interface MarkdownLabels {
  copy: string;
}

const DEFAULT_LABELS: MarkdownLabels = { copy: 'Copy' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SAFE_URL = /^(https?:|mailto:)/i;

// The pieces of a code block, shared with the streaming renderer
// (markdownStream.ts), which builds the same block in parts.

/** The language of a fence's info string: its first word. */
export function codeLanguage(info: string): string {
  return info.trim().split(/\s+/)[0] ?? '';
}

/** The bar above a code block: its language and a copy button. */
export function codeHead(language: string, labels: MarkdownLabels): string {
  return (
    `<div class="code-head"><span class="code-lang">${escapeHtml(language)}</span>` +
    `<button type="button" class="code-copy" data-code-copy="1">${escapeHtml(labels.copy)}</button></div>`
  );
}

export function codeClass(language: string): string {
  return language ? `hljs language-${escapeHtml(language)}` : 'hljs';
}

/** Highlighted (or escaped) code: HTML with no tags but highlight.js's spans. */
export function codeBody(text: string, language: string): string {
  return highlight(text, language) ?? escapeHtml(text);
}

// Rendering is synchronous, so one set of slots serves every parse.
const mathSlots = new MathSlots();

function makeMarked(labels: MarkdownLabels): Marked {
  return new Marked(mathExtension(mathSlots), {
    gfm: true,
    breaks: false,
    renderer: {
      code({ text, lang }: Tokens.Code): string {
        const language = codeLanguage(lang ?? '');
        return (
          `<div class="code-block">${codeHead(language, labels)}` +
          `<pre><code class="${codeClass(language)}">${codeBody(text, language)}</code></pre></div>\n`
        );
      },
      // Raw HTML in model output is shown as text, never interpreted.
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      // Remote images are not loaded (privacy, offline): show a link instead.
      image({ href, text }: Tokens.Image): string {
        const label = escapeHtml(text || href);
        return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">🖼 ${label}</a>` : label;
      },
    },
  });
}

let purifyConfigured = false;
function purify(): typeof DOMPurify {
  if (!purifyConfigured) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href') ?? '';
        if (!SAFE_URL.test(href)) node.removeAttribute('href');
        node.setAttribute('rel', 'noopener noreferrer');
        node.setAttribute('target', '_blank');
      }
      // GFM task lists keep their checkboxes, shown and never editable.
      if (node.tagName === 'INPUT') node.setAttribute('disabled', '');
    });
    DOMPurify.addHook('uponSanitizeElement', (node, data) => {
      if (data.tagName === 'input' && (node as Element).getAttribute?.('type') !== 'checkbox') node.parentNode?.removeChild(node);
    });
    purifyConfigured = true;
  }
  return DOMPurify;
}

/** Sanitizes HTML so that nothing in it can run: no scripts, handlers, javascript: URLs, forms or styles. */
export function sanitizeHtml(html: string): string {
  return purify().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'textarea', 'select', 'iframe', 'object', 'embed', 'img', 'video', 'audio'],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'name', 'value', 'form'],
    ADD_ATTR: ['target'],
  });
}

const markedByLabels = new Map<string, Marked>();
function markedFor(labels: MarkdownLabels): Marked {
  const key = JSON.stringify(labels);
  let m = markedByLabels.get(key);
  if (!m) markedByLabels.set(key, (m = makeMarked(labels)));
  return m;
}

// Finished text never changes, so its HTML is cached (small LRU).
const CACHE_MAX = 400;
const cache = new Map<string, string>();

let renderCount = 0;
let renderChars = 0;
/** Number of actual markdown parses so far (used by tests to prove caching). */
export function markdownRenderCount(): number {
  return renderCount;
}
/** Characters of markdown parsed so far (used by tests to prove what is not parsed again). */
export function markdownRenderChars(): number {
  return renderChars;
}

function renderUncached(src: string, labels: MarkdownLabels): string {
  renderCount++;
  renderChars += src.length;
  mathSlots.clear();
  let html = markedFor(labels).parse(stripMarkers(src), { async: false }) as string;
  html = html.replace(/<table>/g, '<div class="table-wrap"><table>').replace(/<\/table>/g, '</table></div>');
  return mathSlots.fill(sanitizeHtml(html));
}

/** Markdown → sanitized HTML. Cached by (labels, source). */
export function renderMarkdown(src: string, labels: MarkdownLabels = DEFAULT_LABELS, useCache = true): string {
  // Before KaTeX and highlight.js are loaded the HTML is provisional: not
  // cached, and rich.ready (read here) makes a component render it again.
  // The first answer shown asks for them.
  if (!rich.ready) {
    loadRich().catch((e) => console.error('math and code highlighting not loaded', e));
    return renderUncached(src, labels);
  }
  if (!useCache) return renderUncached(src, labels);
  const key = `${labels.copy}\u0000${src}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit); // refresh LRU position
    return hit;
  }
  const html = renderUncached(src, labels);
  cache.set(key, html);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return html;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits markdown at blank lines that are outside fenced code and not followed
 * by an indented line (which may continue a list item or an indented block).
 * Used while streaming: every block but the last is final and cached, so each
 * frame re-parses only the growing tail.
 */
export function splitBlocks(src: string): string[] {
  const lines = src.split('\n');
  const blocks: string[] = [];
  let cur: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = FENCE.exec(line);
    if (fence) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
    } else if (m) {
      fence = m[1]!;
    }
    cur.push(line);
    if (!fence && line.trim() === '' && i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (next.trim() !== '' && !/^[ \t]/.test(next) && cur.some((l) => l.trim() !== '')) {
        blocks.push(cur.join('\n'));
        cur = [];
      }
    }
  }
  if (cur.length) blocks.push(cur.join('\n'));
  return blocks;
}

const REF_DEFINITION = /^ {0,3}\[[^\]]+\]:\s/m;

/** Whether finished text must be rendered whole: a link definition may serve another block. */
export function rendersWhole(src: string): boolean {
  return REF_DEFINITION.test(src);
}

/**
 * Renders markdown as a list of independently cached blocks. Finished blocks
 * are never parsed again; while `streaming`, the growing tail is parsed fresh
 * (and not cached). Because the same block split is used once the answer is
 * complete, finishing a stream does not re-render anything but the tail.
 * Text with reference-style link definitions is rendered whole, since a
 * definition may sit in another block.
 */
export function renderBlocks(src: string, labels: MarkdownLabels = DEFAULT_LABELS, streaming = false): string[] {
  if (!streaming && rendersWhole(src)) return [renderMarkdown(src, labels)];
  const blocks = splitBlocks(src);
  return blocks.map((b, i) => renderMarkdown(b, labels, !streaming || i < blocks.length - 1));
}

/** Streaming render: cached HTML for finished blocks, a fresh render of the tail. */
export function renderStreaming(src: string, labels: MarkdownLabels = DEFAULT_LABELS): string[] {
  return renderBlocks(src, labels, true);
}
