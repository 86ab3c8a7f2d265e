import type { ConversationView } from '../api/types';

export type DateGroupKey = 'pinned' | 'today' | 'yesterday' | 'week' | 'older';

export interface DateGroup {
  key: DateGroupKey;
  items: ConversationView[];
}

const ORDER: DateGroupKey[] = ['pinned', 'today', 'yesterday', 'week', 'older'];

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Which bucket a timestamp falls into, by local calendar day. */
export function dateBucket(iso: string, now: Date): Exclude<DateGroupKey, 'pinned'> {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'older';
  const today = startOfDay(now);
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1).getTime();
  const weekAgo = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7).getTime();
  if (t >= today) return 'today'; // includes small clock skew into the future
  if (t >= yesterday) return 'yesterday';
  if (t >= weekAgo) return 'week';
  return 'older';
}

/**
 * Pinned / Today / Yesterday / Previous 7 days / Older, by updatedAt.
 * Within a group, newest first; empty groups are omitted.
 */
export function groupConversations(list: ConversationView[], now: Date = new Date()): DateGroup[] {
  const buckets = new Map<DateGroupKey, ConversationView[]>();
  for (const c of list) {
    const key: DateGroupKey = c.pinned ? 'pinned' : dateBucket(c.updatedAt, now);
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    b.push(c);
  }
  const byNewest = (a: ConversationView, b: ConversationView) => (Date.parse(b.updatedAt) || 0) - (Date.parse(a.updatedAt) || 0);
  return ORDER.filter((k) => buckets.has(k)).map((key) => ({ key, items: buckets.get(key)!.sort(byNewest) }));
}
