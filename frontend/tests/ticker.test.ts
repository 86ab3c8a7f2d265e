import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tickWhileVisible } from '../src/lib/ticker';

class FakeDoc extends EventTarget {
  hidden = false;
  set(hidden: boolean) {
    this.hidden = hidden;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('tickWhileVisible', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ticks every period while visible, runs no timer while hidden, and ticks at once when shown', () => {
    const doc = new FakeDoc();
    const tick = vi.fn();
    const stop = tickWhileVisible(tick, 60_000, doc);
    vi.advanceTimersByTime(120_000);
    expect(tick).toHaveBeenCalledTimes(2);

    doc.set(true);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(600_000);
    expect(tick).toHaveBeenCalledTimes(2);

    doc.set(false);
    expect(tick).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(60_000);
    expect(tick).toHaveBeenCalledTimes(4);

    stop();
    expect(vi.getTimerCount()).toBe(0);
    doc.set(true);
    doc.set(false);
    expect(tick).toHaveBeenCalledTimes(4);
  });

  it('starts without a timer when the window starts hidden', () => {
    const doc = new FakeDoc();
    doc.hidden = true;
    const tick = vi.fn();
    tickWhileVisible(tick, 60_000, doc);
    expect(vi.getTimerCount()).toBe(0);
    doc.set(false);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
  });
});
