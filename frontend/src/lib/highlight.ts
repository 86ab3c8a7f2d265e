// Code highlighting. highlight.js and its languages are a chunk of their
// own (highlightLanguages.ts), loaded after the window's first paint (see
// rich.svelte.ts): until then code is shown escaped, not highlighted.
import type { HLJSApi } from 'highlight.js';

let hljs: HLJSApi | null = null;

/** Loads highlight.js; highlight() returns null until this has resolved. */
export async function loadHighlight(): Promise<void> {
  hljs ??= (await import('./highlightLanguages')).default;
}

/** Highlighted HTML (escaped by highlight.js) or null when the language is unknown or highlight.js not loaded yet. */
export function highlight(code: string, lang: string): string | null {
  const l = lang.trim().toLowerCase();
  if (!hljs || !l || !hljs.getLanguage(l)) return null;
  try {
    return hljs.highlight(code, { language: l, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
}
