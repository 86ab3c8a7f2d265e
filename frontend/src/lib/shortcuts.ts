export type ShortcutAction = 'newChat' | 'search' | 'stop' | 'model' | 'quit';

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
  return null;
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "Ctrl+K" or "⌘K". */
export function comboLabel(key: string): string {
  return isMac ? `⌘${key}` : `Ctrl+${key}`;
}
