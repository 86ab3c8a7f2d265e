export interface SnippetPart {
  text: string;
  mark: boolean;
}

const START = '\u0002';
const END = '\u0003';

/**
 * Splits a search snippet into plain and marked parts. Rendering the parts as
 * text (never as HTML) means nothing in the snippet can inject markup.
 * Unbalanced markers are tolerated: a missing END closes at the end.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let buf = '';
  const push = () => {
    if (buf) parts.push({ text: buf, mark });
    buf = '';
  };
  for (const ch of snippet) {
    if (ch === START) {
      push();
      mark = true;
    } else if (ch === END) {
      push();
      mark = false;
    } else {
      buf += ch;
    }
  }
  push();
  return parts;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** HTML form: everything escaped, matches wrapped in <mark>. */
export function snippetHtml(snippet: string): string {
  return snippetParts(snippet)
    .map((p) => (p.mark ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text)))
    .join('');
}
