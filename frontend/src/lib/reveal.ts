// Bringing an element into view without moving the app shell.
//
// Element.scrollIntoView scrolls every scrollable ancestor, and in WebKitGTK
// that includes the overflow:hidden root: the Settings header, tabs and the
// sidebar's top slid out of the window with a blank band below. Here only the
// one scroller we name moves, by setting its scrollTop ourselves.

export type RevealBlock = 'start' | 'center' | 'nearest';

/** The nearest ancestor of el (not el itself) that scrolls vertically, or null. */
export function scrollerOf(el: Element): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const oy = getComputedStyle(p).overflowY;
    if (oy === 'auto' || oy === 'scroll') return p;
  }
  return null;
}

/**
 * Scrolls scroller (default: el's nearest scrolling ancestor) so that el sits
 * at block; nothing outside scroller moves. Returns false when el has no
 * scroller to move.
 */
export function reveal(el: Element, block: RevealBlock = 'nearest', scroller: HTMLElement | null = scrollerOf(el)): boolean {
  if (!scroller) return false;
  const box = scroller.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const top = r.top - box.top; // el's offset inside the visible part of scroller
  let delta = 0;
  if (block === 'start') delta = top;
  else if (block === 'center') delta = top - (box.height - r.height) / 2;
  else if (top < 0) delta = top;
  else if (top + r.height > box.height) delta = Math.min(top, top + r.height - box.height);
  const max = Math.max(0, scroller.scrollHeight - scroller.clientHeight);
  scroller.scrollTop = Math.min(max, Math.max(0, scroller.scrollTop + delta));
  return true;
}
