// KaTeX and highlight.js are most of the page's script (and KaTeX's CSS
// brings dozens of fonts), and the first screen needs neither: they are
// chunks of their own, loaded when the first answer is rendered or a second
// after the window's first frame (main.ts). Until `rich.ready`, math is shown as its source and code escaped, and
// nothing rendered so is cached; the renderers read `rich.ready`, so what
// a component rendered before is rendered again when it turns true.
import { loadHighlight } from './highlight';
import { loadMath } from './math';

export const rich = $state({ ready: false });

let loading: Promise<void> | null = null;

/** Loads both (once; again after a failure); resolves when answers render in full. */
export function loadRich(): Promise<void> {
  loading ??= Promise.all([loadMath(), loadHighlight()]).then(
    () => {
      rich.ready = true;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
