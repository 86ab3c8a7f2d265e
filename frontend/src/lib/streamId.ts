/**
 * A new id for an answer's stream. The window chooses it and sends it with
 * the request, so it knows the answer's chat:stream events from the first
 * one, even one that arrives before the request returns. 128 random bits as
 * hex, from crypto.getRandomValues: crypto.randomUUID needs a secure
 * context, and WebKitGTK does not count Wails' wails:// page as one.
 */
export function newStreamId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
