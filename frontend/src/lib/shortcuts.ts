export type ShortcutAction = 'newChat' | 'search' | 'stop' | 'model' | 'settings' | 'selectAll' | 'quit';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
}

/** Maps a keydown to an app shortcut. Ctrl or Cmd both count as the modifier. */
export function matchShortcut(e: KeyLike): ShortcutAction | null {
  if (e.isComposing) return null;
  const mod = e.ctrlKey || e.metaKey;
  if (!mod && !e.altKey && !e.shiftKey && e.key === 'Escape') return 'stop';
  if (!mod || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'n' && !e.shiftKey) return 'newChat';
  if (k === 'k' && !e.shiftKey) return 'search';
  if (k === 'q' && !e.shiftKey) return 'quit';
  if ((k === 'm' && !e.shiftKey) || k === '/') return 'model';
  if (e.key === ',' && !e.shiftKey) return 'settings';
  if (k === 'a' && !e.shiftKey) return 'selectAll';
  return null;
}

/** Whether el edits text: Ctrl+A there is the field's own. */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range', 'color', 'file'].includes(el.type);
  return (el as HTMLElement).isContentEditable === true;
}

/**
 * Ctrl+A outside a text field: select the text of the messages (or of the
 * settings panel), never the whole window with its sidebar and buttons.
 * Returns false when there is nothing to select.
 */
export function selectAllIn(region: Element | null): boolean {
  const sel = typeof getSelection === 'function' ? getSelection() : null;
  if (!region || !sel) return false;
  const range = document.createRange();
  range.selectNodeContents(region);
  sel.removeAllRanges();
  sel.addRange(range);
  return true;
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "Ctrl+K" or "⌘K". */
export function comboLabel(key: string): string {
  return isMac ? `⌘${key}` : `Ctrl+${key}`;
}
