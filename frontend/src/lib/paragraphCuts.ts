// Where a paragraph that is still growing may be cut into pieces, so that
// each piece, rendered on its own, reads as it would in the whole
// paragraph (used by markdownStream.ts, which shows a long paragraph in
// pieces while it streams). A piece ends only after a space (or a CJK
// full stop) where no inline markup can span the cut: code spans, runs of
// *, _ and ~ that can be delimiters, brackets, HTML tags and backslash
// escapes are followed (Delimiters), and the next piece must not start a
// block of its own (BLOCK_START).

/** About how many characters of a growing paragraph make a piece. */
export const PIECE_CHARS = 2048;

/** Sizes of paragraph pieces, in characters (tests make them small, to cut often). */
export interface PieceSizes {
  /** a piece is at least this long */
  min: number;
  /** how far past min a piece may go to end with a sentence */
  slack: number;
  /** a paragraph with no balanced place to cut is cut anyway past this */
  max: number;
}
export const DEFAULT_PIECES: PieceSizes = { min: PIECE_CHARS, slack: 512, max: 4 * PIECE_CHARS };

/**
 * Text that may start a block, or end a paragraph, at the start of a line:
 * a piece must not begin with it, nor may a line of a paragraph shown in
 * pieces. Broader than markdown's rules: a false match only means the
 * paragraph is rendered whole, as before.
 */
export const BLOCK_START =
  /^(?: {0,3}(?:#{1,6}(?:[ \t\n]|$)|>|[-*+](?:[ \t\n]|$)|\d{1,9}[.)](?:[ \t\n]|$)|[-*_=](?:[ \t]*[-*_=])*[ \t]*(?:\n|$)|\||`{3,}|~{3,}|<|\[[^\]]*\]:|\$\$|\\\[)| {4}|\t)/;
export const LINE_BLOCK_START = new RegExp('\n' + BLOCK_START.source.slice(1));
/** The end of a sentence, before a space, or a CJK full stop, which needs no space after it. */
const SENTENCE_END = /[.!?;:…)"'\]]/;
const CJK_STOP = /[。！？；]/;

const isSpace = (c: string) => c === '' || c === ' ' || c === '\n' || c === '\t';
const isWordChar = (c: string) => /[\p{L}\p{N}]/u.test(c);

/**
 * Counts of what may open or close inline markup, fed one character at a
 * time, to tell where a piece may end: code spans (a run of n backticks
 * to the next run of n; what is inside is text), runs of *, _ and ~ that
 * can be delimiters (not between spaces, _ not inside a word), brackets,
 * HTML tags (a cut inside one would make its attributes text).
 */
class Delimiters {
  private runs = 0; // odd: some run of * _ or ~ is unmatched
  private code = 0; // length of the backtick run that opened a code span, 0 outside one
  private bracket = 0;
  private tag = false; // inside what may be an HTML tag: <a href="…">
  private escape = false; // the last character was a backslash that escapes the next
  private dollars = 0; // odd: some $ or $$ of TeX math is unmatched
  private tex = 0; // inside \( … \) or \[ … \]
  private run = '';
  private len = 0;
  private before = '';
  private prev = '';

  add(c: string): void {
    if (c === this.run) {
      this.len++;
      return;
    }
    if (this.run) this.endRun(c);
    const escaped = this.escape;
    this.escape = !escaped && !this.code && c === '\\';
    if (escaped) {
      this.run = ''; // \* and the like are text
      if (c === '(' || c === '[') this.tex++;
      else if ((c === ')' || c === ']') && this.tex > 0) this.tex--;
    } else if (c === '`' || (!this.code && (c === '*' || c === '_' || c === '~' || c === '$'))) {
      this.run = c;
      this.len = 1;
      this.before = this.prev;
    } else {
      this.run = '';
      if (this.code) {
        // text inside a code span
      } else if (c === '[') this.bracket++;
      else if (c === ']') this.bracket--;
      else if (c === '>') this.tag = false;
      else if (this.prev === '<' && /[A-Za-z/!?]/.test(c)) this.tag = true;
    }
    this.prev = c;
  }

  private endRun(after: string): void {
    const r = this.run;
    if (r === '$') {
      if (!this.code) this.dollars++;
      return;
    }
    if (r === '`') {
      if (!this.code) this.code = this.len;
      else if (this.len === this.code) this.code = 0;
      return;
    }
    const spaced = isSpace(this.before) && isSpace(after);
    const inWord = r === '_' && isWordChar(this.before) && isWordChar(after);
    if (!(spaced || inWord)) this.runs++;
  }

  /** Whether no inline markup can span the end of the text fed so far, if what comes next is a space. */
  balanced(): boolean {
    return (
      this.runs % 2 === 0 && this.dollars % 2 === 0 && !this.tex && !this.code && this.bracket === 0 && !this.tag && !this.run
    );
  }
}

/** The inline HTML of a one-paragraph render, or null if markdown made it anything else. */
export function inlineOf(html: string): string | null {
  const m = /^<p>([\s\S]*)<\/p>\n?$/.exec(html);
  return m && !m[1]!.includes('<p>') ? m[1]! : null;
}

/**
 * Whether the render of a piece left no delimiter unmatched, so that no
 * text after it could pair with one and change it: its text (code spans
 * aside) has no *, ~, `, [ or ], and no _ but inside a word. (Raw HTML is
 * shown as text whole or in pieces, and pieces never end inside a tag.)
 */
export function selfContained(html: string): boolean {
  if (html.includes('class="math')) return false; // typeset TeX: let the whole render decide
  const text = html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<[^>]*>/g, '');
  return !/[*~`[\]$]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u.test(text);
}

/**
 * Where the piece from `from` ends, or -1 if the text has no such place
 * yet: after a space (or a CJK full stop) at least sizes.min characters
 * on, where the piece is balanced and what follows starts no block; the
 * first end of a sentence within the next sizes.slack characters, else
 * the first such place. With no balanced place by sizes.max, the
 * last space will do (markup across it shows as typed until the
 * paragraph ends). The last character may still grow: never cut there.
 */
export function pieceEnd(src: string, from: number, sizes: PieceSizes = DEFAULT_PIECES): number {
  const end = src.length - 1;
  const { min, slack, max } = sizes;
  if (end - from <= min) return -1;
  const d = new Delimiters();
  let first = -1;
  let lastSpace = -1;
  for (let i = from; i < end; i++) {
    const c = src[i]!;
    d.add(c);
    if (i - from < min) continue;
    const cjk = CJK_STOP.test(c);
    if (c !== ' ' && !cjk) continue;
    const cut = i + 1;
    if (src[cut] === ' ' || src[cut] === '\n' || BLOCK_START.test(src.slice(cut, cut + 12))) continue;
    lastSpace = cut;
    if (!d.balanced()) continue;
    if (cjk || SENTENCE_END.test(src[i - 1]!)) return cut;
    if (first < 0) first = cut;
    if (i - from >= min + slack) return first;
  }
  if (end - from < min + slack) return -1;
  if (first > 0) return first;
  return end - from > max ? lastSpace : -1;
}
