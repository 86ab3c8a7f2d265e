// Coalesces work to at most once per animation frame.
export type Scheduler = (fn: () => void) => void;

export const rafScheduler: Scheduler = (fn) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
};

export function frameBatcher(run: () => void, schedule: Scheduler = rafScheduler): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    schedule(() => {
      pending = false;
      run();
    });
  };
}
