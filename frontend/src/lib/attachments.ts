import type { AttachProblem, AttachResult, Attachment } from '../api/types';
import type { MessageKey } from './i18n/index.svelte';

/** Go's limits (backend/desktop/attach.go), checked here first so the composer can say so at once. */
export const MAX_ATTACHMENTS = 10;
export const MAX_FILE_TEXT = 512 * 1024;
export const MAX_TOTAL_TEXT = 1024 * 1024;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** What the composer holds before sending. */
export interface Draft {
  images: string[];
  files: Attachment[];
}

/** A message the composer shows: an i18n key and its values. */
export interface Note {
  key: MessageKey;
  values?: Record<string, string | number>;
}

const PROBLEM_KEYS: Record<AttachProblem, MessageKey> = {
  binary: 'attach.binary',
  too_large: 'attach.tooLarge',
  text_too_large: 'attach.textTooLarge',
  empty: 'attach.empty',
  pdf_encrypted: 'attach.pdfEncrypted',
  pdf_no_text: 'attach.pdfNoText',
  pdf_broken: 'attach.pdfBroken',
  unreadable: 'attach.unreadable',
};

/** UTF-8 bytes of s, as Go counts text. */
export function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

function textBytes(files: Attachment[]): number {
  return files.reduce((n, f) => n + utf8Bytes(f.text), 0);
}

/**
 * Adds what Go made of one file to the draft, or says why not: Go refused
 * it (a binary, a broken PDF, …), or it would take the message past the
 * limits. An empty result (the dialog was cancelled) changes nothing.
 */
export function addResult(d: Draft, r: AttachResult): Note | null {
  const name = r.name;
  if (r.problem) return { key: PROBLEM_KEYS[r.problem], values: { name, mb: MAX_FILE_BYTES >> 20, kb: MAX_FILE_TEXT >> 10, detail: r.detail ?? '' } };
  if (!r.image && !r.file) return null;
  if (d.images.length + d.files.length >= MAX_ATTACHMENTS) return { key: 'attach.tooMany', values: { n: MAX_ATTACHMENTS } };
  if (r.file) {
    if (textBytes(d.files) + utf8Bytes(r.file.text) > MAX_TOTAL_TEXT) {
      return { key: 'attach.totalTooLarge', values: { name, kb: MAX_TOTAL_TEXT >> 10 } };
    }
    d.files.push(r.file);
  } else if (r.image) {
    d.images.push(r.image);
  }
  return null;
}

/** "512 B", "12 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The chip's kind label: "PDF", the language ("go", "python") or the kind's name. */
export function kindKey(f: Attachment): MessageKey {
  return f.kind === 'pdf' ? 'attach.kindPdf' : f.kind === 'code' ? 'attach.kindCode' : 'attach.kindText';
}

/** A file's bytes in base64, as Go's FromData takes them. */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) bin += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(bin);
}
