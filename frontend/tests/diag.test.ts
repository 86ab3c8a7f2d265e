import { afterEach, describe, expect, it } from 'vitest';
import { allMarks, lastMark, lastShown, percentile, startDiagnostics, type DiagDeps } from '../src/lib/diag';
import { diagApi, type DiagReport, type StreamEvent } from '../src/api';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

afterEach(() => {
  uninstallFakeGo();
  document.body.innerHTML = '';
});

describe('diagnostics helpers', () => {
  it('finds the last numbered word, whole words only', () => {
    expect(lastMark(' w1 **w2** `w3`', 'w')).toBe(3);
    expect(lastMark('w10 w11\n```', 'w')).toBe(11);
    expect(lastMark('w7 aw8 w9x 12', 'w')).toBe(7);
    expect(lastMark('r1 r2 w5', 'r')).toBe(2);
    expect(lastMark('no words', 'w')).toBe(0);
    expect(lastMark('', 'w')).toBe(0);
    expect(allMarks('w1 w2x aw3 (w4) w5', 'w')).toEqual([1, 4, 5]);
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('reads the last word shown across nested elements, skipping trailing text without one', () => {
    const el = document.createElement('div');
    el.innerHTML = '<p>w1 <strong>w2</strong> <code>w3</code></p><div class="code-head">go <button>Copy</button></div>';
    expect(lastShown(el, 'w')).toBe(3);
    expect(lastShown(null, 'w')).toBe(0);
  });
});

describe('diagApi', () => {
  it('is enabled only when Go bound DiagService', () => {
    installFakeGo({ ChatService: {} });
    expect(diagApi.enabled()).toBe(false);
    installFakeGo({ DiagService: { Config: async () => ({ idleMs: 0 }) } });
    expect(diagApi.enabled()).toBe(true);
  });
});

/** A clock, animation frames and timers the test drives by hand. */
function harness(idleMs = 0) {
  let now = 0;
  let frames: ((t: number) => void)[] = [];
  let timers: { at: number; fn: () => void }[] = [];
  let listener: ((e: StreamEvent) => void) | null = null;
  const written: DiagReport[] = [];
  const deps: DiagDeps = {
    config: async () => ({ idleMs }),
    write: async (r) => void written.push(r),
    onStream: (cb) => ((listener = cb), () => (listener = null)),
    frame: (cb) => void frames.push(cb),
    now: () => now,
    after: (ms, fn) => void timers.push({ at: now + ms, fn }),
    root: document,
    longTasks: null,
  };
  let seq = 0;
  return {
    deps,
    written,
    /** Advances the clock to t, firing due timers, then runs one animation frame. */
    frame(t: number) {
      now = t;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      due.forEach((x) => x.fn());
      const run = frames;
      frames = [];
      run.forEach((cb) => cb(t));
    },
    advance(t: number) {
      now = t;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      due.forEach((x) => x.fn());
    },
    event(t: number, kind: StreamEvent['kind'], text = '') {
      now = t;
      listener!({ streamId: 's1', conversationId: 'c1', messageId: 'm1', seq: ++seq, kind, text });
    },
    pendingFrames: () => frames.length,
  };
}

function message(html: string) {
  document.body.innerHTML = `<article data-id="m1"><div data-testid="markdown"><div class="md-block">${html}</div></div></article>`;
}

describe('stream recording', () => {
  it('measures frame gaps and how long arrived words wait to be on screen', async () => {
    const h = harness();
    await startDiagnostics(h.deps);
    message('');
    h.event(0, 'delta', 'w1 **w2** sk-secret-key');
    h.frame(16); // nothing on screen yet
    message('<p>w1 <strong>w2</strong></p>');
    h.frame(32); // shown: 32 ms after arrival
    h.event(40, 'delta', ' w3');
    h.frame(48);
    message('<p>w1 <strong>w2</strong> w3</p>');
    h.frame(120); // a 72 ms gap; w3 shown 80 ms after arrival
    h.event(130, 'done');
    h.frame(136); // all shown after done: the report is written
    await Promise.resolve();
    expect(h.written).toHaveLength(1);
    const r = h.written[0]!;
    expect(r.phase).toBe('stream');
    expect(r.metrics).toMatchObject({
      frames: 5,
      gapMaxMs: 72,
      gapsOver50: 1,
      gapsOver100: 0,
      contentWords: 3,
      contentEvents: 2,
      contentLagP50Ms: 32,
      contentLagMaxMs: 80,
      contentLagOver100: 0,
      contentBehindMax: 2,
      contentEventGapMaxMs: 40,
      renderedWords: 3,
      renderedAll: 1,
      shownLast: 1,
      arrivalSpanMs: 40,
      screenSpanMs: 88,
      firstShownAfterMs: 32,
      longTaskSupported: 0,
    });
    // Numbers only: no text from the answer reaches the report.
    for (const v of Object.values(r.metrics ?? { missing: NaN })) expect(Number.isFinite(v)).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/secret|w1|\*\*/);
    expect(h.pendingFrames()).toBe(0); // recording stopped
  });

  it('reports a word missing from the finished message', async () => {
    const h = harness();
    await startDiagnostics(h.deps);
    h.event(0, 'delta', 'w1 w2 w3');
    message('<p>w1 w3</p>');
    h.event(10, 'done');
    h.frame(16);
    await Promise.resolve();
    expect(h.written[0]!.metrics).toMatchObject({ contentWords: 3, renderedWords: 2, renderedAll: 0, shownLast: 1 });
  });

  it('gives up 10 s after the end when the last word never shows', async () => {
    const h = harness();
    await startDiagnostics(h.deps);
    h.event(0, 'delta', 'w1 w2');
    message('<p>w1</p>');
    h.frame(16);
    h.event(20, 'done');
    h.frame(32);
    expect(h.written).toHaveLength(0);
    h.advance(10_021);
    await Promise.resolve();
    expect(h.written).toHaveLength(1);
    expect(h.written[0]!.metrics).toMatchObject({ shownLast: 0, renderedAll: 0, contentBehindMax: 1 });
  });

  it('tracks reasoning before the answer', async () => {
    const h = harness();
    await startDiagnostics(h.deps);
    document.body.innerHTML = '<article data-id="m1"><div data-testid="thinking-text"></div></article>';
    h.event(0, 'reasoning', ' r1 r2');
    h.frame(16);
    document.body.innerHTML = '<article data-id="m1"><div data-testid="thinking-text"> r1 r2</div></article>';
    h.frame(32);
    h.event(40, 'delta', 'w1');
    message('<p>w1</p>');
    h.frame(48);
    h.event(50, 'done');
    h.frame(64);
    await Promise.resolve();
    expect(h.written[0]!.metrics).toMatchObject({ reasoningWords: 2, reasoningLagMaxMs: 32, contentWords: 1, arrivalSpanMs: 40 });
  });
});

describe('idle recording', () => {
  it('records frames for the configured stretch after the window settles, then stops', async () => {
    const h = harness(200);
    await startDiagnostics(h.deps);
    h.advance(1000); // settled: recording starts
    for (let t = 1016; t <= 1096; t += 16) h.frame(t);
    h.frame(1160); // one 64 ms gap
    h.advance(1199);
    expect(h.written).toHaveLength(0);
    h.advance(1200);
    await Promise.resolve();
    expect(h.written).toHaveLength(1);
    expect(h.written[0]).toMatchObject({ phase: 'idle', metrics: { frames: 7, gapsOver50: 1, gapMaxMs: 64, gapP50Ms: 16 } });
    h.frame(1216); // the frame requested before the end runs and asks for no other
    expect(h.pendingFrames()).toBe(0);
  });
});
