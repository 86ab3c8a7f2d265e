// Markdown of an answer while it streams, at a cost per update that does
// not grow with the answer.
//
// renderBlocks re-splits the whole text and re-renders the last block on
// every update. That is cheap while blocks stay small, but an answer that
// is one long code block (a model writing a whole file) made the real
// window re-highlight and lay out every line of it on every update: the
// WebKitGTK window went from 61 to 38 frames/s and its web process used
// most of a core (docs/BENCHMARKS.md). Here:
// - text is only ever appended, so finished blocks are split off and
//   rendered once, as the text passes them;
// - a long fenced code block is shown in parts of PART_LINES lines, each
//   its own DOM element, so laying out the last part leaves the others be.
//   While the block is open, a finished part is highlighted once, on its
//   own, and never touched again (a string or comment spanning two parts
//   may be coloured wrongly meanwhile). Once the block is closed, or the
//   answer complete, it is highlighted whole and cut at the same lines:
//   the colours are exact, and parts that come out the same keep their
//   DOM, so finishing a long block costs no new layout of it.
// - a long paragraph still growing (one line of prose, thousands of words)
//   is shown in pieces of about PIECE_CHARS characters, spans in one <p>:
//   marked and DOMPurify over a 59 KB paragraph took 34 ms per update and
//   held the window at 27 frames/s. A piece ends only where no inline
//   markup can span the cut (paragraphCuts.ts). Once the paragraph ends,
//   pieces whose render left no delimiter unmatched stay as they are; else
//   it is rendered whole, and the pieces stay only if that reads the same
//   (markup across a cut: the whole render replaces them).
import { rich } from './rich.svelte';
import {
  codeBody,
  codeHead,
  codeLanguage,
  renderBlocks,
  renderMarkdown,
  rendersWhole,
  sanitizeHtml,
  splitBlocks,
  type MarkdownLabels,
} from './markdown';
import {
  BLOCK_START,
  DEFAULT_PIECES,
  LINE_BLOCK_START,
  inlineOf,
  pieceEnd,
  selfContained,
  type PieceSizes,
} from './paragraphCuts';

export { PIECE_CHARS, type PieceSizes } from './paragraphCuts';

/** Lines per part of a code block. */
export const PART_LINES = 40;

/** A fenced code block in parts. */
export interface CodeParts {
  /** sanitized HTML of the bar above the code */
  head: string;
  /** class of the <code> element (an attribute value, not HTML) */
  cls: string;
  /** sanitized HTML of each part: PART_LINES lines, each but the last ending in a newline */
  parts: string[];
}

/** A paragraph in pieces: the sanitized inline HTML of each, in order. */
export interface ParagraphPieces {
  pieces: string[];
}

/** A block of an answer: sanitized HTML, a code block in parts, or a paragraph in pieces. */
export type StreamBlock = string | CodeParts | ParagraphPieces;


const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const OPEN = /^(`{3,}|~{3,})(.*)$/;

/** A fenced block at the end of a markdown block, begun at the left margin. */
interface Fence {
  /** offsets in the text scanned */
  at: number;
  body: number;
  /** offset of the closing fence line, -1 while open */
  close: number;
  fence: string;
  language: string;
}

function className(language: string): string {
  return language ? `hljs language-${language}` : 'hljs';
}

function closesFence(line: string, fence: string): boolean {
  const m = FENCE.exec(line);
  return !!m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1];
}

/**
 * The fenced code block that ends text[from:] (only blank lines after its
 * closing fence, or none), if it starts at the left margin (an indented
 * fence may belong to a list item) and its opening line is complete.
 */
function endingFence(text: string, from: number): Fence | null {
  let f: Fence | null = null;
  let fence: string | null = null;
  for (let at = from; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl < 0 ? text.length : nl);
    if (fence) {
      if (closesFence(line, fence)) {
        fence = null;
        if (f) f.close = at;
      }
    } else if (line.trim() !== '') {
      const m = FENCE.exec(line);
      const open = m && nl >= 0 ? OPEN.exec(line) : null;
      fence = m ? m[1]! : null;
      f = open && !(open[1]![0] === '`' && open[2]!.includes('`'))
        ? { at, body: nl + 1, close: -1, fence: open[1]!, language: codeLanguage(open[2]!) }
        : null;
    }
    if (nl < 0) break;
    at = nl + 1;
  }
  return f;
}

/**
 * Cuts highlighted HTML (text and <span>s) after every n lines. Spans open
 * at a cut are closed at the end of the part and opened again at the start
 * of the next, so each part stands alone.
 */
export function splitLines(html: string, n: number): string[] {
  const parts: string[] = [];
  const open: string[] = [];
  let start = 0;
  let lines = 0;
  let reopen = '';
  for (let i = 0; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (c === 60 /* < */) {
      const end = html.indexOf('>', i);
      const tag = html.slice(i, end + 1);
      if (tag[1] === '/') open.pop();
      else if (!tag.endsWith('/>')) open.push(tag);
      i = end;
    } else if (c === 10 /* \n */ && ++lines === n) {
      parts.push(reopen + html.slice(start, i + 1) + '</span>'.repeat(open.length));
      reopen = open.join('');
      start = i + 1;
      lines = 0;
    }
  }
  parts.push(reopen + html.slice(start));
  return parts;
}

interface OpenCode extends Fence {
  head: string;
  /** HTML of the tail block's text before the fence ("Here it is:"), if any */
  before: string | null;
  /** offset of the first line not yet in a frozen part */
  frozenTo: number;
  /** offset of the first line not yet checked for the closing fence */
  scanFrom: number;
  frozen: string[];
}

/** A growing paragraph: the tail block, from offset `at`. */
interface OpenParagraph {
  at: number;
  /** offset of the first character not yet in a frozen piece */
  frozenTo: number;
  frozen: string[];
  /** whether every frozen piece is selfContained */
  clean: boolean;
}

export class MarkdownStream {
  /** whether the answer was shown while streaming: its final render goes through here too */
  streamed = false;
  private src = '';
  private done: StreamBlock[] = [];
  /** offset of the first unfinished block */
  private tailAt = 0;
  private code: OpenCode | null = null;
  private exact = new Map<string, string[]>(); // code body → its parts, for the tail's repeats
  private para: OpenParagraph | null = null;
  /**
   * Whether KaTeX and highlight.js were loaded when this stream began: the
   * blocks it keeps are provisional if not. Reading rich.ready here makes a
   * $derived that creates the stream (Markdown.svelte) create a new one, which
   * renders everything again, once they are.
   */
  readonly rich = rich.ready;

  constructor(
    private labels: MarkdownLabels,
    private sizes: PieceSizes = DEFAULT_PIECES,
  ) {}

  /**
   * The blocks of src, which normally extends the text of the last call.
   * final: the answer is complete, render its end exactly.
   */
  update(src: string, final = false): StreamBlock[] {
    if (final && rendersWhole(src)) return renderBlocks(src, this.labels);
    if (!final) this.streamed = true;
    if (!src.startsWith(this.src)) {
      this.done = [];
      this.tailAt = 0;
      this.code = null;
      this.para = null;
    }
    this.src = src;
    if (this.code && (final || this.closes(this.code))) this.code = null;
    if (!this.code) {
      const blocks = splitBlocks(src.slice(this.tailAt));
      for (const b of blocks.slice(0, -1)) {
        this.done.push(...this.finished(b));
        this.tailAt += b.length + 1;
      }
      if (blocks.length > 1) this.exact.clear();
      if (!final) this.code = this.openCode();
    }
    const out = this.done.slice();
    if (this.code) {
      if (this.code.before !== null) out.push(this.code.before);
      out.push(this.openParts(this.code));
    } else {
      const pieces = final ? null : this.pieces();
      out.push(...(pieces ? [pieces] : this.finished(src.slice(this.tailAt), !final)));
    }
    return out;
  }

  /** The tail block in pieces, if it is a long paragraph still growing. */
  private pieces(): ParagraphPieces | null {
    if (this.para?.at !== this.tailAt) this.para = { at: this.tailAt, frozenTo: this.tailAt, frozen: [], clean: true };
    const p = this.para;
    const tail = this.src.slice(this.tailAt);
    if (tail.length <= this.sizes.min || BLOCK_START.test(tail) || LINE_BLOCK_START.test(tail.trimEnd())) return null;
    for (let cut = pieceEnd(this.src, p.frozenTo, this.sizes); cut > 0; cut = pieceEnd(this.src, p.frozenTo, this.sizes)) {
      const html = inlineOf(renderMarkdown(this.src.slice(p.frozenTo, cut), this.labels, false));
      if (html === null) return null;
      // The space that ended the piece is kept: the pieces are spans in one <p>.
      p.frozen.push(this.src[cut - 1] === ' ' && !html.endsWith(' ') ? html + ' ' : html);
      p.frozenTo = cut;
      p.clean &&= selfContained(html);
    }
    return this.withLast(p, this.src.slice(p.frozenTo));
  }

  /** The frozen pieces of p and rest, the text after them, rendered as the last; null if rest is not inline text. */
  private withLast(p: OpenParagraph, rest: string): ParagraphPieces | null {
    const live = rest.trim() ? inlineOf(renderMarkdown(rest, this.labels, false)) : '';
    return live === null ? null : { pieces: [...p.frozen, live] };
  }


  /** A block whose text is final (or, with fresh, the tail rendered anew). */
  private finished(block: string, fresh = false): StreamBlock[] {
    const f = endingFence(block, 0);
    const body = f ? block.slice(f.body, f.close < 0 ? undefined : Math.max(f.body, f.close - 1)).replace(/\n$/, '') : '';
    if (!f || body.split('\n').length <= PART_LINES) {
      const pieces = this.closedPieces(block);
      if (pieces) return [pieces];
      const html = renderMarkdown(block, this.labels, !fresh);
      return [this.keptPieces(html) ?? html];
    }
    const out: StreamBlock[] = [];
    const before = block.slice(0, f.at);
    if (before.trim()) out.push(renderMarkdown(before, this.labels));
    let parts = this.exact.get(body);
    if (!parts) this.exact.set(body, (parts = splitLines(sanitizeHtml(codeBody(body, f.language)), PART_LINES)));
    out.push({ head: sanitizeHtml(codeHead(f.language, this.labels)), cls: className(f.language), parts });
    return out;
  }

  /**
   * The tail block (block) shown in pieces, now complete, when its pieces
   * are exact without rendering it whole: each frozen piece selfContained,
   * no line that may start a block. Only the rest after them is rendered.
   * Rendering a 59 KB paragraph whole took long enough at the end of a
   * stream to hold the window for 144 ms.
   */
  private closedPieces(block: string): ParagraphPieces | null {
    const p = this.para;
    if (!p || p.at !== this.tailAt || !p.frozen.length || !p.clean || LINE_BLOCK_START.test(block.trimEnd())) return null;
    return this.withLast(p, block.slice(p.frozenTo - p.at));
  }

  /**
   * The tail block shown in pieces, kept as it is when its whole render
   * (html) reads the same: the pieces it had, and the rest of html as the
   * last. So a long paragraph that ends costs no new layout of it (130 ms
   * in the window for a 59 KB one). A whole render that differs (markup
   * across a cut) replaces the pieces.
   */
  private keptPieces(html: string): ParagraphPieces | null {
    const p = this.para;
    if (!p || p.at !== this.tailAt || !p.frozen.length) return null;
    const inner = inlineOf(html);
    const frozen = p.frozen.join('');
    // Each frozen piece is whole HTML, so the rest after them is too.
    return inner?.startsWith(frozen) ? { pieces: [...p.frozen, inner.slice(frozen.length)] } : null;
  }

  /** The tail block's fenced code, if it is still open. */
  private openCode(): OpenCode | null {
    const f = endingFence(this.src, this.tailAt);
    if (!f || f.close >= 0) return null;
    const before = this.src.slice(this.tailAt, f.at);
    return {
      ...f,
      head: sanitizeHtml(codeHead(f.language, this.labels)),
      before: before.trim() ? renderMarkdown(before, this.labels) : null,
      frozenTo: f.body,
      scanFrom: f.body,
      frozen: [],
    };
  }

  /** Whether a line that arrived since the last look closes the block. */
  private closes(code: OpenCode): boolean {
    for (;;) {
      const nl = this.src.indexOf('\n', code.scanFrom);
      // A closing fence, even one still growing: the block is done.
      if (closesFence(this.src.slice(code.scanFrom, nl < 0 ? undefined : nl), code.fence)) return true;
      if (nl < 0) return false;
      code.scanFrom = nl + 1;
    }
  }

  /** The offset after the next PART_LINES complete lines from `from`, or -1. */
  private partEnd(from: number): number {
    let end = from;
    for (let i = 0; i < PART_LINES; i++) {
      const nl = this.src.indexOf('\n', end);
      if (nl < 0) return -1;
      end = nl + 1;
    }
    return end;
  }

  private openParts(code: OpenCode): CodeParts {
    for (let end = this.partEnd(code.frozenTo); end > 0; end = this.partEnd(code.frozenTo)) {
      code.frozen.push(sanitizeHtml(codeBody(this.src.slice(code.frozenTo, end), code.language)));
      code.frozenTo = end;
    }
    const live = sanitizeHtml(codeBody(this.src.slice(code.frozenTo), code.language));
    return { head: code.head, cls: className(code.language), parts: [...code.frozen, live] };
  }
}
