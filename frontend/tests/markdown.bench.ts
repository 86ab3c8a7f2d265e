// What the window pays to render a long answer as it streams: a
// measurement (`make bench-frontend`, docs/BENCHMARKS.md), not a test, so
// that a busy machine makes it slower instead of failing `make test`. What
// keeps it fast (no frame parses finished text again) is asserted in
// markdown.test.ts and markdown-stream.test.ts, which do fixed work.
import { bench, describe } from 'vitest';
import { renderStreaming } from '../src/lib/markdown';
import { MarkdownStream } from '../src/lib/markdownStream';

const labels = { copy: 'Copy' };
const FRAMES = 300;

// ~10,000 tokens in 300 frame-sized chunks, as in markdown.test.ts. Each
// run's text is its own, so no run finds the blocks of another in the
// render cache.
let run = 0;
function frames(math = false): string[] {
  run++;
  const para = math
    ? `Lorem ipsum $x_{${run}}^2 + y^2$ sit amet, \\(\\frac{a}{b}\\) consectetur elit, sed do eiusmod tempor. `
    : `Lorem ipsum **dolor** sit amet ${run}, \`code\` consectetur adipiscing elit, sed do eiusmod tempor. `;
  const out: string[] = [];
  let src = '';
  for (let i = 0; i < FRAMES; i++) {
    src +=
      para +
      (i % 5 === 4 ? '\n\n' : '') +
      (i % 40 === 0 ? (math ? '$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\n\n' : '```go\nfunc main() {}\n```\n\n') : '');
    out.push(src);
  }
  return out;
}

// One sample is a whole answer: divide by 300 for a frame, whose budget
// at 60 fps is 16 ms (rendering is only part of it).
describe(`a 10,000-token answer in ${FRAMES} frames`, () => {
  bench('MarkdownStream (the window while streaming)', () => {
    const s = new MarkdownStream(labels);
    const all = frames();
    for (const src of all) s.update(src);
    s.update(all[all.length - 1]!, true);
  });
  bench('renderStreaming (blocks, tail re-parsed)', () => {
    for (const src of frames()) renderStreaming(src);
  });
  // The same length with two inline formulas per sentence and a displayed
  // one every 40 sentences (before KaTeX this was plain text).
  bench('MarkdownStream, an answer full of math', () => {
    const s = new MarkdownStream(labels);
    const all = frames(true);
    for (const src of all) s.update(src);
    s.update(all[all.length - 1]!, true);
  });
});
