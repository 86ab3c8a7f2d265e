import type { HistoryStatus } from '../api/types';

export interface HistoryBanner {
  kind: 'warn' | 'error';
  key: 'app.historyUpgrading' | 'app.historyFailed';
  params: Record<string, string>;
}

/** What the window says about the chat history: nothing while it is fine or opens quickly. */
export function historyBanner(s: HistoryStatus | null): HistoryBanner | null {
  if (!s) return null;
  if (s.state === 'upgrading') return { kind: 'warn', key: 'app.historyUpgrading', params: { path: s.path } };
  if (s.state === 'error') return { kind: 'error', key: 'app.historyFailed', params: { error: s.error || s.path } };
  return null;
}

/**
 * Follows the history's status: events from Go, and the current status
 * asked once at start. An event that arrives before that answer is newer,
 * so the answer then does not overwrite it.
 */
export function watchHistoryStatus(
  api: { status: () => Promise<HistoryStatus>; onStatus: (cb: (s: HistoryStatus) => void) => () => void },
  set: (s: HistoryStatus) => void,
): () => void {
  let heard = false;
  const unsub = api.onStatus((s) => {
    heard = true;
    set(s);
  });
  api
    .status()
    .then((s) => {
      if (!heard) set(s);
    })
    .catch(() => {}); // no backend: the app already says so
  return unsub;
}
