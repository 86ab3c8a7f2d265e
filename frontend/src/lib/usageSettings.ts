import type { Usage } from '../api';

// Bounds of Settings → Usage, as Go checks them (config.MaxRetentionDays,
// MinLogMaxMB, MaxLogMaxMB); an empty field means Go's default.
export const USAGE_DEFAULTS = { retentionDays: 90, maxMB: 512 };
export const RETENTION_MAX = 3650;
export const SIZE_MIN = 16;
export const SIZE_MAX = 1 << 20;

export type UsageDraft = { logging: boolean; metrics: boolean; retention: string; size: string };

export function usageDraft(u: Usage | undefined): UsageDraft {
  return {
    logging: !u?.disabled,
    metrics: !!u?.metrics,
    retention: u?.retentionDays ? String(u.retentionDays) : '',
    size: u?.maxMB ? String(u.maxMB) : '',
  };
}

/** The settings a draft stands for, or the i18n key of what is wrong with it. */
export function parseUsageDraft(d: UsageDraft): { usage: Usage } | { error: 'usage.badRetention' | 'usage.badSize' } {
  const num = (s: string) => (s.trim() === '' ? 0 : Number(s.trim()));
  const days = num(d.retention);
  if (!Number.isInteger(days) || days < 0 || days > RETENTION_MAX) return { error: 'usage.badRetention' };
  const mb = num(d.size);
  if (!Number.isInteger(mb) || mb < 0 || (mb > 0 && mb < SIZE_MIN) || mb > SIZE_MAX) return { error: 'usage.badSize' };
  const usage: Usage = {};
  if (!d.logging) usage.disabled = true;
  if (d.metrics) usage.metrics = true;
  if (days) usage.retentionDays = days;
  if (mb) usage.maxMB = mb;
  return { usage };
}
