// Data shaping for the Usage view: pure functions over what UsageService returns.
import type { Point, Total, UsageFilter } from '../api/types';

export type Bucket = 'day' | 'week' | 'month';
export type GroupBy = 'provider' | 'model' | 'token';
export type Metric = 'cost' | 'tokens';

/** The filter fields the table offers; '' means any. */
export interface Filters {
  door: string;
  token: string;
  provider: string;
  model: string;
  status: '' | 'ok' | 'error';
}

export const emptyFilters = (): Filters => ({ door: '', token: '', provider: '', model: '', status: '' });

/** How far back each bucket size looks by default. */
export const rangeDays: Record<Bucket, number> = { day: 30, week: 7 * 26, month: 365 };

/** Go's zero time.Time: an unbounded end ("" does not parse as a time in Go). */
export const zeroTime = '0001-01-01T00:00:00Z';

/** The Go filter for a time range ending now and the chosen fields; empty fields are left out. */
export function toFilter(f: Filters, bucket: Bucket, now: Date): UsageFilter {
  // From the start of a UTC day, as the buckets are: no partial first
  // bucket, and Go answers whole days from its daily rollup.
  const start = now.getTime() - rangeDays[bucket] * 86_400_000;
  const since = new Date(start - (((start % 86_400_000) + 86_400_000) % 86_400_000));
  const out: UsageFilter = { since: since.toISOString(), until: zeroTime };
  for (const k of ['door', 'token', 'provider', 'model', 'status'] as const) {
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  return out;
}

export interface Dataset {
  label: string;
  data: number[];
}

export interface Stacked {
  labels: string[];
  datasets: Dataset[];
}

/** A point's value for a metric: money or all tokens (input + output; reasoning is part of output). */
export function pointValue(p: Point | Total, metric: Metric): number {
  return metric === 'cost' ? p.cost : p.input + p.output;
}

/**
 * Points (one per bucket, group and currency) → one dataset per group over
 * the sorted bucket starts, missing buckets 0. Money is per currency, so a
 * cost chart takes only the points in `currency`; tokens take all. Groups
 * are ordered largest first so the legend reads like the totals.
 */
export function stackSeries(points: Point[] | null, metric: Metric, currency = ''): Stacked {
  const pts = (points ?? []).filter((p) => metric !== 'cost' || p.currency === currency);
  const starts = [...new Set(pts.map((p) => p.start))].sort();
  const index = new Map(starts.map((s, i) => [s, i]));
  const groups = new Map<string, number[]>();
  for (const p of pts) {
    let row = groups.get(p.key);
    if (!row) groups.set(p.key, (row = starts.map(() => 0)));
    row[index.get(p.start)!] += pointValue(p, metric);
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const datasets = [...groups.entries()]
    .map(([label, data]) => ({ label, data }))
    .sort((a, b) => sum(b.data) - sum(a.data) || a.label.localeCompare(b.label));
  return { labels: starts, datasets };
}

/** Requests and error rate (percent) per bucket, over every group and currency. */
export function requestSeries(points: Point[] | null): { labels: string[]; requests: number[]; errorRate: number[] } {
  const byStart = new Map<string, { r: number; e: number }>();
  for (const p of points ?? []) {
    const b = byStart.get(p.start) ?? { r: 0, e: 0 };
    b.r += p.requests;
    b.e += p.errors;
    byStart.set(p.start, b);
  }
  const labels = [...byStart.keys()].sort();
  return {
    labels,
    requests: labels.map((s) => byStart.get(s)!.r),
    errorRate: labels.map((s) => {
      const b = byStart.get(s)!;
      return b.r ? (100 * b.e) / b.r : 0;
    }),
  };
}

export interface CurrencyTotal {
  currency: string;
  cost: number;
  estimated: number;
}

export interface Summary {
  requests: number;
  errors: number;
  input: number;
  output: number;
  /** money per currency, largest first; never summed across currencies */
  money: CurrencyTotal[];
  /** requests with no known price (currency "") */
  unpriced: number;
}

/** Totals (per group and currency) → the headline numbers. */
export function summarize(totals: Total[] | null): Summary {
  const s: Summary = { requests: 0, errors: 0, input: 0, output: 0, money: [], unpriced: 0 };
  const money = new Map<string, CurrencyTotal>();
  for (const t of totals ?? []) {
    s.requests += t.requests;
    s.errors += t.errors;
    s.input += t.input;
    s.output += t.output;
    if (!t.currency) {
      s.unpriced += t.requests;
      continue;
    }
    const m = money.get(t.currency) ?? { currency: t.currency, cost: 0, estimated: 0 };
    m.cost += t.cost;
    m.estimated += t.estimated;
    money.set(t.currency, m);
  }
  s.money = [...money.values()].sort((a, b) => b.cost - a.cost || a.currency.localeCompare(b.currency));
  return s;
}

/** The currencies present in a series, most common first (the cost chart's choices). */
export function currencies(points: Point[] | null): string[] {
  const n = new Map<string, number>();
  for (const p of points ?? []) if (p.currency) n.set(p.currency, (n.get(p.currency) ?? 0) + p.cost);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/** A bucket start (RFC 3339, UTC) as a short axis label. */
export function bucketLabel(start: string, bucket: Bucket): string {
  const d = start.slice(0, 10);
  return bucket === 'month' ? d.slice(0, 7) : d;
}

/** Nanoseconds → "850 ms" / "1.2 s". */
export function fmtNs(ns: number): string {
  if (!ns) return '–';
  const ms = ns / 1e6;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Money with its currency code, to 4 decimals under 1. */
export function fmtMoney(amount: number, currency: string): string {
  const digits = Math.abs(amount) < 1 ? 4 : 2;
  return `${currency} ${amount.toFixed(digits)}`;
}
