import { vi } from 'vitest';

// jsdom lacks a few browser APIs the components touch.
if (typeof window !== 'undefined') {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
  globalThis.CSS ??= { escape: (s: string) => s.replace(/["\\]/g, '\\$&') } as unknown as typeof CSS;
}

// vi.waitFor gives up after 1 s by default: a bound a busy machine (two
// shared cores running several test files at once) can reach while a
// component is still rendering, though nothing is wrong. Here it waits as
// long as the test itself may run (Vitest's testTimeout, 5 s), a bound for
// a hang only, and still ends as soon as its condition holds; on failure
// it reports its condition's last error rather than a bare timeout.
const waitFor = vi.waitFor;
vi.waitFor = ((callback, options) =>
  waitFor(callback, { timeout: 4_500, ...(typeof options === 'number' ? { timeout: options } : options) })) as typeof vi.waitFor;
