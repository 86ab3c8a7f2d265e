// Frame timing of the real window while an answer streams, for
// scripts/window-stream-bench.sh. Loaded only when Go binds DiagService
// (THINKCLOUD_DIAG_FILE set): main.ts imports this module on demand, so a
// normal window neither loads nor runs any of it.
//
// What it measures, all from inside the page:
// - requestAnimationFrame gaps (how smoothly the window paints);
// - long tasks, where PerformanceObserver supports 'longtask';
// - lag: how long text that has arrived waits to be on screen. The benchmark's answer (fakeupstream's trigger:tokens=N@R) is
//   made of numbered words w1 … wN (reasoning: r1 … rM), so the last
//   number in the message's DOM says how far it is rendered, whatever
//   markdown made of the text around it.
// Reports hold numbers only, never text.
import type { DiagConfig, DiagReport, StreamEvent } from '../api';

export interface DiagDeps {
  config: () => Promise<DiagConfig>;
  write: (r: DiagReport) => Promise<void>;
  onStream: (cb: (e: StreamEvent) => void) => () => void;
  /** requestAnimationFrame */
  frame: (cb: (t: number) => void) => void;
  now: () => number;
  after: (ms: number, fn: () => void) => void;
  root: ParentNode;
  /** null where PerformanceObserver has no 'longtask' entries */
  longTasks: ((cb: (ms: number) => void) => () => void) | null;
}

/** How long the window settles after start before the idle recording. */
const SETTLE_MS = 1000;
/** How long after the last event a stream may take to show its last word. */
const SHOW_TIMEOUT_MS = 10_000;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (x: number) => Math.round(x * 10) / 10;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The number of the last word `<letter><digits>` in text, 0 if none. */
export function lastMark(text: string, letter: string): number {
  let j = text.length - 1;
  while (j >= 0) {
    while (j >= 0 && !isDigit(text.charCodeAt(j))) j--;
    if (j < 0) return 0;
    let k = j;
    while (k >= 0 && isDigit(text.charCodeAt(k))) k--;
    if (k >= 0 && text[k] === letter && (k === 0 || !isWordChar(text.charCodeAt(k - 1))) && (j + 1 >= text.length || !isWordChar(text.charCodeAt(j + 1)))) {
      return Number(text.slice(k + 1, j + 1));
    }
    j = k;
  }
  return 0;
}

/** Every word `<letter><digits>` in text, as numbers. */
export function allMarks(text: string, letter: string): number[] {
  const re = new RegExp(`(?:^|[^A-Za-z0-9])${letter}(\\d+)(?![A-Za-z0-9])`, 'g');
  return Array.from(text.matchAll(re), (m) => Number(m[1]));
}

function lastDescendant(n: Node): Node {
  while (n.lastChild) n = n.lastChild;
  return n;
}

function previousNode(n: Node, stop: Node): Node | null {
  if (n === stop) return null;
  if (n.previousSibling) return lastDescendant(n.previousSibling);
  const p = n.parentNode;
  return p === stop ? null : p;
}

/** The last numbered word shown inside el, walking its text back from the end. */
export function lastShown(el: Element | null, letter: string): number {
  if (!el) return 0;
  for (let n: Node | null = lastDescendant(el); n; n = previousNode(n, el)) {
    if (n.nodeType === 3) {
      const m = lastMark(n.nodeValue ?? '', letter);
      if (m > 0) return m;
    }
  }
  return 0;
}

/** Every numbered word shown inside el, text node by text node. */
function shownMarks(el: Element | null, letter: string): number[] {
  if (!el) return [];
  const out: number[] = [];
  const doc = el.ownerDocument;
  const walk = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) out.push(...allMarks(n.nodeValue ?? '', letter));
  return out;
}

/** Gaps between animation frames, and long tasks, over one stretch. */
class Frames {
  gaps: number[] = [];
  first = 0;
  last = 0;
  longTasks: number[] = [];
  private running = false;
  private unobserve: (() => void) | null = null;

  constructor(
    private deps: DiagDeps,
    private onFrame: (now: number) => void,
  ) {}

  start(): void {
    this.running = true;
    this.unobserve = this.deps.longTasks?.((ms) => this.longTasks.push(ms)) ?? null;
    const loop = (t: number) => {
      if (!this.running) return;
      if (this.first === 0) this.first = t;
      else this.gaps.push(t - this.last);
      this.last = t;
      this.onFrame(this.deps.now());
      if (this.running) this.deps.frame(loop);
    };
    this.deps.frame(loop);
  }

  stop(): void {
    this.running = false;
    this.unobserve?.();
  }

  metrics(): Record<string, number> {
    const g = [...this.gaps].sort((a, b) => a - b);
    const span = this.last - this.first;
    return {
      frames: this.gaps.length + (this.first ? 1 : 0),
      spanMs: round(span),
      fps: span > 0 ? round((this.gaps.length * 1000) / span) : 0,
      gapP50Ms: round(percentile(g, 50)),
      gapP95Ms: round(percentile(g, 95)),
      gapP99Ms: round(percentile(g, 99)),
      gapMaxMs: round(g.length ? g[g.length - 1]! : 0),
      gapsOver50: g.filter((x) => x > 50).length,
      gapsOver100: g.filter((x) => x > 100).length,
      longTaskSupported: this.deps.longTasks ? 1 : 0,
      longTasks: this.longTasks.length,
      longTaskMaxMs: round(Math.max(0, ...this.longTasks)),
    };
  }
}

interface Arrival {
  t: number;
  mark: number;
}

/**
 * Lag of one kind of text (content or reasoning): for each event, the time
 * from its arrival to the first frame that finds its last word in the DOM.
 * The DOM is read at the start of a frame, so what it shows was painted
 * by the end of the frame before: an upper bound on the time to screen,
 * by at most one frame.
 */
class Lag {
  arrivals: Arrival[] = [];
  shown = 0;
  firstShownAt = 0;
  lastChangeAt = 0;
  lagMs: number[] = [];
  /** per frame: words arrived but not yet on screen */
  behind: number[] = [];
  private next = 0; // first arrival not yet on screen

  constructor(private letter: string) {}

  arrived(t: number, text: string): void {
    const mark = lastMark(text, this.letter);
    if (mark > 0) this.arrivals.push({ t, mark });
  }

  get received(): number {
    return this.arrivals.length ? this.arrivals[this.arrivals.length - 1]!.mark : 0;
  }

  /** Samples what el shows at time now. */
  sample(now: number, el: Element | null): void {
    if (this.arrivals.length === 0) return;
    const shown = Math.max(this.shown, lastShown(el, this.letter));
    if (shown > this.shown) {
      if (this.shown === 0) this.firstShownAt = now;
      this.lastChangeAt = now;
      this.shown = shown;
    }
    while (this.next < this.arrivals.length && this.arrivals[this.next]!.mark <= this.shown) {
      this.lagMs.push(now - this.arrivals[this.next]!.t);
      this.next++;
    }
    this.behind.push(Math.max(0, this.received - this.shown));
  }

  metrics(prefix: string): Record<string, number> {
    const ms = [...this.lagMs].sort((a, b) => a - b);
    const words = [...this.behind].sort((a, b) => a - b);
    // Gaps between events as the page receives them: a stall in Go, or
    // a page too busy to take its events, shows here, not in the lag.
    const gaps = this.arrivals.slice(1).map((a, i) => a.t - this.arrivals[i]!.t);
    gaps.sort((a, b) => a - b);
    return {
      [`${prefix}Words`]: this.received,
      [`${prefix}Events`]: this.arrivals.length,
      [`${prefix}LagP50Ms`]: round(percentile(ms, 50)),
      [`${prefix}LagP95Ms`]: round(percentile(ms, 95)),
      [`${prefix}LagP99Ms`]: round(percentile(ms, 99)),
      [`${prefix}LagMaxMs`]: round(ms.length ? ms[ms.length - 1]! : 0),
      [`${prefix}LagOver100`]: ms.filter((x) => x > 100).length,
      [`${prefix}BehindP95`]: percentile(words, 95),
      [`${prefix}BehindMax`]: words.length ? words[words.length - 1]! : 0,
      [`${prefix}EventGapP99Ms`]: round(percentile(gaps, 99)),
      [`${prefix}EventGapMaxMs`]: round(gaps.length ? gaps[gaps.length - 1]! : 0),
    };
  }
}

/** One streamed answer, from its first event until its last word is on screen. */
class StreamSession {
  readonly frames: Frames;
  readonly content = new Lag('w');
  readonly reasoning = new Lag('r');
  private el: Element | null = null;
  private start = 0;
  private doneAt = 0;
  private events = 0;
  private chars = 0;
  private ended = false;

  constructor(
    private deps: DiagDeps,
    private messageId: string,
    private onEnd: (s: StreamSession) => void,
  ) {
    this.frames = new Frames(deps, (now) => this.sample(now));
  }

  begin(now: number): void {
    this.start = now;
    this.frames.start();
  }

  event(ev: StreamEvent): void {
    const now = this.deps.now();
    this.events++;
    if (ev.kind === 'delta' || ev.kind === 'reasoning') this.chars += (ev.text ?? '').length;
    if (ev.kind === 'delta') this.content.arrived(now, ev.text ?? '');
    else if (ev.kind === 'reasoning') this.reasoning.arrived(now, ev.text ?? '');
    else {
      if (ev.kind === 'done' && ev.text) this.content.arrived(now, ev.text);
      this.doneAt = now;
      this.deps.after(SHOW_TIMEOUT_MS, () => this.end());
    }
  }

  private message(): Element | null {
    if (!this.el?.isConnected) this.el = this.deps.root.querySelector(`article[data-id="${CSS.escape(this.messageId)}"]`);
    return this.el;
  }

  private sample(now: number): void {
    const msg = this.message();
    this.content.sample(now, msg?.querySelector('[data-testid="markdown"]')?.lastElementChild ?? null);
    // Once the answer shows, the thinking block folds: reasoning is over.
    if (this.content.shown === 0) this.reasoning.sample(now, msg?.querySelector('[data-testid="thinking-text"]') ?? null);
    if (this.doneAt && this.content.shown >= this.content.received) this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.frames.stop();
    this.onEnd(this);
  }

  report(): DiagReport {
    const c = this.content;
    const all = c.received ? this.allShown(c.received) : 0;
    const firstArrival = Math.min(c.arrivals[0]?.t ?? Infinity, this.reasoning.arrivals[0]?.t ?? Infinity);
    const lastArrival = c.arrivals[c.arrivals.length - 1]?.t ?? 0;
    return {
      phase: 'stream',
      metrics: {
        ...this.frames.metrics(),
        ...c.metrics('content'),
        ...this.reasoning.metrics('reasoning'),
        events: this.events,
        receivedChars: this.chars,
        renderedWords: all,
        renderedAll: c.received > 0 && all === c.received ? 1 : 0,
        shownLast: c.shown >= c.received && c.received > 0 ? 1 : 0,
        // first event (reasoning or content) to the last content event
        arrivalSpanMs: round(lastArrival - (Number.isFinite(firstArrival) ? firstArrival : lastArrival)),
        // first content word on screen to the last
        screenSpanMs: round(c.lastChangeAt - c.firstShownAt),
        firstShownAfterMs: round(c.firstShownAt - (c.arrivals[0]?.t ?? c.firstShownAt)),
        // the last content event to its words on screen
        lastShownAfterMs: round(c.lastChangeAt - lastArrival),
        sessionMs: round(this.deps.now() - this.start),
      },
    };
  }

  /** How many distinct words 1 … n the finished message shows (each once is expected). */
  private allShown(n: number): number {
    const seen = new Uint8Array(n + 1);
    let count = 0;
    for (const m of shownMarks(this.message()?.querySelector('[data-testid="markdown"]') ?? null, 'w')) {
      if (m >= 1 && m <= n && !seen[m]) {
        seen[m] = 1;
        count++;
      }
    }
    return count;
  }
}

/**
 * Starts recording: an idle stretch first when asked (the baseline), then
 * every streamed answer, one at a time. Each is written as one report.
 */
export async function startDiagnostics(deps: DiagDeps): Promise<void> {
  const cfg = await deps.config();
  let session: StreamSession | null = null;
  let sessionStream = '';
  const done = new Set<string>();
  const write = (r: DiagReport) => deps.write(r).catch((e) => console.error('diagnostics report not written', e));

  if (cfg.idleMs > 0) {
    deps.after(SETTLE_MS, () => {
      const idle = new Frames(deps, () => {});
      const start = deps.now();
      idle.start();
      deps.after(cfg.idleMs, () => {
        idle.stop();
        void write({ phase: 'idle', metrics: { ...idle.metrics(), sessionMs: round(deps.now() - start) } });
      });
    });
  }

  deps.onStream((ev) => {
    if (done.has(ev.streamId)) return;
    if (!session) {
      if (ev.kind !== 'delta' && ev.kind !== 'reasoning') return;
      const id = ev.streamId;
      session = new StreamSession(deps, ev.messageId, (s) => {
        session = null;
        done.add(id);
        void write(s.report());
      });
      session.begin(deps.now());
      sessionStream = id;
    }
    if (ev.streamId === sessionStream) session.event(ev);
  });
}

/** The browser's own dependencies. */
export function browserDeps(api: Pick<DiagDeps, 'config' | 'write' | 'onStream'>): DiagDeps {
  const supported = typeof PerformanceObserver !== 'undefined' && (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask');
  return {
    ...api,
    frame: (cb) => void requestAnimationFrame(cb),
    now: () => performance.now(),
    after: (ms, fn) => void setTimeout(fn, ms),
    root: document,
    longTasks: supported
      ? (cb) => {
          const o = new PerformanceObserver((list) => list.getEntries().forEach((e) => cb(e.duration)));
          o.observe({ type: 'longtask', buffered: false });
          return () => o.disconnect();
        }
      : null,
  };
}
