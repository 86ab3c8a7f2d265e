import { describe, expect, it } from 'vitest';
import { historyBanner, watchHistoryStatus } from '../src/lib/historyBanner';
import type { HistoryStatus } from '../src/api/types';

const path = '/home/u/.local/share/thinkcloud/thinkcloud.db';

describe('historyBanner', () => {
  it('says nothing while the history is fine or opening', () => {
    expect(historyBanner(null)).toBeNull();
    expect(historyBanner({ state: 'opening', path })).toBeNull();
    expect(historyBanner({ state: 'ready', path })).toBeNull();
  });
  it('explains an upgrade with the file it is about', () => {
    expect(historyBanner({ state: 'upgrading', path, from: 3, to: 4 })).toEqual({
      kind: 'warn',
      key: 'app.historyUpgrading',
      params: { path },
    });
  });
  it('shows why the history is unavailable', () => {
    const b = historyBanner({ state: 'error', path, error: 'open history x: file is not a database' });
    expect(b).toEqual({ kind: 'error', key: 'app.historyFailed', params: { error: 'open history x: file is not a database' } });
  });
});

describe('watchHistoryStatus', () => {
  function fakeApi(answer: HistoryStatus) {
    let cb: ((s: HistoryStatus) => void) | null = null;
    let resolve: (s: HistoryStatus) => void = () => {};
    const api = {
      status: () => new Promise<HistoryStatus>((r) => (resolve = r)),
      onStatus: (f: (s: HistoryStatus) => void) => {
        cb = f;
        return () => (cb = null);
      },
    };
    return { api, fire: (s: HistoryStatus) => cb?.(s), answer: () => resolve(answer), subscribed: () => cb !== null };
  }

  it('takes the current status when no event came first', async () => {
    const f = fakeApi({ state: 'upgrading', path, from: 3, to: 4 });
    const seen: string[] = [];
    watchHistoryStatus(f.api, (s) => seen.push(s.state));
    f.answer();
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['upgrading']);
    f.fire({ state: 'ready', path });
    expect(seen).toEqual(['upgrading', 'ready']);
  });

  it('keeps a newer event over the slower answer', async () => {
    const f = fakeApi({ state: 'upgrading', path });
    const seen: string[] = [];
    const stop = watchHistoryStatus(f.api, (s) => seen.push(s.state));
    f.fire({ state: 'ready', path });
    f.answer();
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['ready']);
    stop();
    expect(f.subscribed()).toBe(false);
  });
});
