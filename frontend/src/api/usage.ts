import { call } from './bridge';
import type { Latency, Point, RequestPage, Total, UsageFilter, UsageHealth } from './types';

const S = 'UsageService';

/** The dashboard's queries over the request log (Go: desktop.UsageService). */
export const usageApi = {
  totals: (f: UsageFilter, by: string): Promise<Total[] | null> => call(S, 'Totals', f, by),
  series: (f: UsageFilter, bucket: string, by: string): Promise<Point[] | null> => call(S, 'Series', f, bucket, by),
  latencies: (f: UsageFilter, by: string): Promise<Latency[] | null> => call(S, 'Latencies', f, by),
  requests: (f: UsageFilter, before: number, limit: number): Promise<RequestPage> =>
    call(S, 'Requests', f, before, limit),
  health: (): Promise<UsageHealth> => call(S, 'Health'),
  /** Asks where to save the filtered requests as CSV; "" when cancelled. */
  exportCSV: (f: UsageFilter, heading: string): Promise<string> => call(S, 'ExportCSV', f, heading),
};
