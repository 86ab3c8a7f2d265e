import type { Prompt } from '../api/types';

/**
 * The prompt-library query being typed: "/" at the start of the text or
 * of a line, then the word up to the caret ("" right after the slash).
 * null when the caret is not in such a word (a path like "a/b" is not one).
 */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|\n)\/([^\s/]*)$/.exec(before);
  if (!m) return null;
  return { start: caret - m[2].length - 1, query: m[2] };
}

/** Prompts whose name (or id) contains query, case-insensitively; names that start with it first. */
export function matchPrompts(prompts: Prompt[], query: string): Prompt[] {
  const q = query.toLowerCase();
  const hits = prompts.filter((p) => p.name.toLowerCase().includes(q) || p.id.includes(q));
  const starts = (p: Prompt) => (p.name.toLowerCase().startsWith(q) ? 0 : 1);
  return hits.sort((a, b) => starts(a) - starts(b));
}

/** Replaces "/query" before the caret with the prompt's text; returns the new text and caret. */
export function insertPrompt(text: string, caret: number, prompt: Prompt): { text: string; caret: number } {
  const q = slashQuery(text, caret);
  const start = q ? q.start : caret;
  const out = text.slice(0, start) + prompt.text + text.slice(caret);
  return { text: out, caret: start + prompt.text.length };
}
