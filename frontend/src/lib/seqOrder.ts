/**
 * Puts one stream's events back in seq order. Go numbers each stream's
 * events 1, 2, 3, … but a transport may deliver them out of order (the
 * Wails dev server sends each event from its own goroutine): an early event
 * waits for the gap to fill instead of being dropped, which would lose
 * text. Duplicates are ignored. A gap that never fills (more than maxHeld
 * events behind it) is skipped rather than stalling the answer.
 */
export class SeqOrder<T extends { seq: number }> {
  /** the last seq handed out */
  last = 0;
  private held = new Map<number, T>();

  constructor(private readonly maxHeld = 64) {}

  /** Takes one event and returns those now in order (often just it, or none). */
  push(ev: T): T[] {
    const seq = typeof ev.seq === 'number' ? ev.seq : NaN;
    if (!(seq > this.last) || this.held.has(seq)) return []; // duplicate
    this.held.set(seq, ev);
    const out: T[] = [];
    for (;;) {
      let next = this.held.get(this.last + 1);
      if (!next && this.held.size > this.maxHeld) next = this.held.get(Math.min(...this.held.keys()));
      if (!next) return out;
      this.held.delete(next.seq);
      this.last = next.seq;
      out.push(next);
    }
  }
}
