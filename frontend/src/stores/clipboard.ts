import { chatApi } from '../api';

/**
 * Whether a paste that carried no file may still hold an image that only Go
 * can read: WebKitGTK hands the page no file for an image copied in most
 * apps, and often no types at all. A paste of text is left to the browser.
 */
export function pasteMayHoldImage(types: readonly string[]): boolean {
  return types.some((t) => t.startsWith('image/')) || !types.some((t) => t === 'text/plain' || t === 'text/html' || t === 'text/uri-list');
}

/** The clipboard's image as a data URL, '' when it holds none. Rejects with Go's reason (no clipboard tool, too large). */
export function readClipboardImage(): Promise<string> {
  return chatApi.clipboardImage();
}
