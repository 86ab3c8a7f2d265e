// A clock for the window that stops while the window is hidden (closed to
// the tray): the page then runs no timer at all, so a hidden ThinkCloud
// uses no CPU (docs/BENCHMARKS.md, "Footprint"). On becoming visible it
// ticks at once, so nothing shown is stale.

/** The part of Document the ticker reads. */
export interface Visibility {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', fn: () => void): void;
  removeEventListener(type: 'visibilitychange', fn: () => void): void;
}

/** Calls tick every ms while doc is visible; returns the stop function. */
export function tickWhileVisible(tick: () => void, ms: number, doc: Visibility = document): () => void {
  let id: ReturnType<typeof setInterval> | undefined;
  const sync = () => {
    if (id !== undefined) clearInterval(id);
    id = undefined;
    if (doc.hidden) return;
    tick();
    id = setInterval(tick, ms);
  };
  if (!doc.hidden) id = setInterval(tick, ms);
  doc.addEventListener('visibilitychange', sync);
  return () => {
    if (id !== undefined) clearInterval(id);
    doc.removeEventListener('visibilitychange', sync);
  };
}
