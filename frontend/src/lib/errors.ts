import type { ErrorKind } from '../api/types';
import type { MessageKey } from './i18n/index.svelte';

const KINDS: ErrorKind[] = [
  'no_key',
  'invalid_key',
  'insufficient_balance',
  'rate_limited',
  'unreachable',
  'timeout',
  'bad_request',
  'model_retired',
  'stopped',
  'other',
];

export function isErrorKind(k: string): k is ErrorKind {
  return (KINDS as string[]).includes(k);
}

/** The i18n key explaining an error kind in plain words. */
export function errorMessageKey(kind: string): MessageKey {
  return `error.${isErrorKind(kind) ? kind : 'other'}` as MessageKey;
}

/** Kinds where the fix is in Settings → Providers. */
export function needsSettings(kind: string): boolean {
  return kind === 'no_key' || kind === 'invalid_key';
}

/**
 * Messages saved before history kept an error's kind only carry an error
 * string, which may read "kind: message" — recover the kind when it does.
 */
export function parseStoredError(error: string): { kind: ErrorKind; message: string } {
  const m = /^([a-z_]+):\s*(.*)$/s.exec(error.trim());
  if (m && isErrorKind(m[1]!)) return { kind: m[1] as ErrorKind, message: m[2]! };
  return { kind: 'other', message: error };
}

/**
 * The kind and text of an error loaded from history: the stored kind when
 * there is one, so a reload still offers the same way out (such as "Open
 * settings" for a key problem), otherwise what parseStoredError recovers.
 */
export function storedError(error: string, kind: string): { kind: ErrorKind; message: string } {
  if (isErrorKind(kind)) return { kind, message: error };
  return parseStoredError(error);
}
