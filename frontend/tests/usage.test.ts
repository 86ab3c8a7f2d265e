import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { Latency, Point, RequestPage, Total, UsageFilter, UsageRecord } from '../src/api/types';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { currencies, emptyFilters, fmtNs, requestSeries, stackSeries, summarize, toFilter } from '../src/lib/usage';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

// Chart.js draws on a canvas jsdom lacks: the fake records each chart's config instead.
const charts = vi.hoisted(() => [] as { config: { data: { labels: string[]; datasets: { label: string; data: number[] }[] } }; destroyed: boolean }[]);
vi.mock('chart.js', () => {
  class Chart {
    static register() {}
    entry: (typeof charts)[number];
    constructor(_c: unknown, config: never) {
      this.entry = { config, destroyed: false };
      charts.push(this.entry);
    }
    destroy() {
      this.entry.destroyed = true;
    }
  }
  const x = {};
  return { Chart, BarController: x, BarElement: x, CategoryScale: x, Legend: x, LinearScale: x, LineController: x, LineElement: x, PointElement: x, Tooltip: x };
});
const { default: UsageView } = await import('../src/components/usage/UsageView.svelte');

const pt = (start: string, key: string, currency: string, cost: number, requests = 1, errors = 0, input = 10, output = 5): Point => ({
  start, key, currency, requests, errors, input, output, reasoning: 0, cached: 0, cost, estimated: 0,
});
const tot = (key: string, currency: string, cost: number, requests: number, errors = 0, estimated = 0): Total => ({
  key, currency, requests, errors, input: 100 * requests, output: 10 * requests, reasoning: 0, cached: 0, cost, estimated,
});

describe('usage data shaping', () => {
  const points = [
    pt('2026-12-01T00:00:00Z', 'openai', 'USD', 2),
    pt('2026-11-30T00:00:00Z', 'deepseek', 'CNY', 7, 4, 1),
    pt('2026-12-01T00:00:00Z', 'deepseek', 'CNY', 3, 4, 3),
    pt('2026-12-01T00:00:00Z', 'deepseek', 'USD', 0.5),
    pt('2026-11-30T00:00:00Z', 'ollama', '', 0, 2),
  ];

  it('stacks cost per group over sorted buckets in one currency, missing buckets 0, largest first', () => {
    const cny = stackSeries(points, 'cost', 'CNY');
    expect(cny.labels).toEqual(['2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z']);
    expect(cny.datasets).toEqual([{ label: 'deepseek', data: [7, 3] }]);
    const usd = stackSeries(points, 'cost', 'USD');
    expect(usd.labels).toEqual(['2026-12-01T00:00:00Z']);
    expect(usd.datasets).toEqual([
      { label: 'openai', data: [2] },
      { label: 'deepseek', data: [0.5] },
    ]);
  });

  it('stacks tokens across every currency, unpriced rows included', () => {
    const s = stackSeries(points, 'tokens');
    expect(s.labels).toHaveLength(2);
    expect(s.datasets.find((d) => d.label === 'deepseek')!.data).toEqual([15, 30]);
    expect(s.datasets.find((d) => d.label === 'ollama')!.data).toEqual([15, 0]);
    expect(stackSeries(null, 'tokens')).toEqual({ labels: [], datasets: [] });
  });

  it('counts requests and the error rate per bucket', () => {
    const r = requestSeries(points);
    expect(r.requests).toEqual([6, 6]);
    expect(r.errorRate[0]).toBeCloseTo(100 / 6);
    expect(r.errorRate[1]).toBeCloseTo(50);
  });

  it('totals money per currency, never adding USD to CNY, and counts unpriced requests', () => {
    const s = summarize([tot('a', 'CNY', 10, 3, 1, 2), tot('b', 'USD', 1.5, 2), tot('c', 'CNY', 5, 1), tot('d', '', 0, 4, 2)]);
    expect(s.requests).toBe(10);
    expect(s.errors).toBe(3);
    expect(s.money).toEqual([
      { currency: 'CNY', cost: 15, estimated: 2 },
      { currency: 'USD', cost: 1.5, estimated: 0 },
    ]);
    expect(s.unpriced).toBe(4);
    expect(currencies(points)).toEqual(['CNY', 'USD']);
  });

  it('builds the Go filter from the fields set, trimmed, over the bucket range from a UTC day start', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const f = toFilter({ ...emptyFilters(), provider: ' deepseek ', status: 'error' }, 'day', now);
    expect(f).toEqual({ since: '2026-11-02T00:00:00.000Z', until: '0001-01-01T00:00:00Z', provider: 'deepseek', status: 'error' });
    expect(toFilter(emptyFilters(), 'month', now).since).toBe('2025-12-02T00:00:00.000Z');
  });

  it('formats durations', () => {
    expect(fmtNs(850e6)).toBe('850 ms');
    expect(fmtNs(1.234e9)).toBe('1.23 s');
    expect(fmtNs(0)).toBe('–');
  });
});

function row(id: number, over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id, at: '2026-12-01T10:00:00Z', door: 'chat', token: 'cursor', provider: 'deepseek', model: 'deepseek-flash',
    status: 200, latencyNs: 1.5e9, ttftNs: 3e8, input: 10, output: 20, costs: [{ currency: 'CNY', amount: 0.01 }], ...over,
  };
}

// A fake UsageService over a fixed log, filtering rows the way Go does.
function fakeUsage(off = false) {
  const all = [row(3), row(2, { status: 429, errorKind: 'rate_limited', provider: 'openai', model: 'gpt-x' }), row(1)];
  const api = {
    Health: vi.fn(async () => ({ written: 3, dropped: 0, failed: 0, behind: false, off, reason: off ? 'disk is read-only' : undefined })),
    Series: vi.fn(async (): Promise<Point[]> => [
      pt('2026-11-30T00:00:00Z', 'deepseek', 'CNY', 7, 4, 1),
      pt('2026-12-01T00:00:00Z', 'openai', 'USD', 2, 2, 2),
    ]),
    Totals: vi.fn(async (): Promise<Total[]> => [tot('deepseek', 'CNY', 7, 4, 1), tot('openai', 'USD', 2, 2, 2)]),
    Latencies: vi.fn(async (): Promise<Latency[]> => [{ key: 'deepseek', requests: 3, p50Ns: 8.5e8, p95Ns: 2e9, ttftP50Ns: 1e8, ttftP95Ns: 3e8 }]),
    Requests: vi.fn(async (f: UsageFilter): Promise<RequestPage> => ({
      rows: all.filter((r) => (!f.provider || r.provider === f.provider) && (!f.status || (f.status === 'ok') === (r.status < 400))),
      next: 0,
    })),
    ExportCSV: vi.fn(async () => '/home/u/requests.csv'),
  };
  installFakeGo({ UsageService: api });
  return api;
}

beforeEach(() => {
  setLocale('en');
  charts.length = 0;
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
});
afterEach(() => {
  uninstallFakeGo();
  vi.restoreAllMocks();
});

describe('usage view', () => {
  it('shows totals per currency, a stacked chart, latencies and the requests; filters reload; a row opens', async () => {
    const api = fakeUsage();
    const user = userEvent.setup();
    render(UsageView);
    await vi.waitFor(() => expect(screen.getAllByTestId('usage-row')).toHaveLength(3));
    const money = screen.getAllByTestId('usage-money').map((e) => e.textContent);
    expect(money[0]).toContain('CNY 7.00');
    expect(money[1]).toContain('USD 2.00');
    expect(screen.getByTestId('usage-latency').textContent).toContain('850 ms');
    // The spend chart shows CNY (the larger currency) only; the requests chart every request.
    const live = () => charts.filter((c) => !c.destroyed);
    await vi.waitFor(() => expect(live()).toHaveLength(2));
    const spend = live().find((c) => c.config.data.datasets[0]?.label === 'deepseek')!;
    expect(spend.config.data.datasets).toEqual([expect.objectContaining({ label: 'deepseek', data: [7] })]);
    const reqs = live().find((c) => c.config.data.datasets.length === 2)!;
    expect(reqs.config.data.datasets[0]!.data).toEqual([4, 2]);
    expect(reqs.config.data.datasets[1]!.data).toEqual([25, 100]);

    // Two currencies: the picker shows the charted one and switches the chart to the other.
    const picker = screen.getByTestId('usage-currency') as HTMLSelectElement;
    expect(picker.value).toBe('CNY');
    await user.selectOptions(picker, 'USD');
    await vi.waitFor(() => expect(live().some((c) => c.config.data.datasets[0]?.label === 'openai')).toBe(true));

    await user.selectOptions(screen.getByTestId('filter-status'), 'error');
    await vi.waitFor(() => expect(screen.getAllByTestId('usage-row')).toHaveLength(1));
    expect(api.Requests).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'error' }), 0, 100);
    expect(api.Series).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'error' }), 'day', 'provider');

    await user.click(screen.getAllByTestId('usage-row')[0]!);
    const details = screen.getByTestId('usage-details');
    expect(within(details).getByText('rate_limited')).toBeTruthy();

    await user.selectOptions(screen.getByTestId('usage-bucket'), 'month');
    await vi.waitFor(() => expect(api.Series).toHaveBeenLastCalledWith(expect.anything(), 'month', 'provider'));
  });

  it('exports the filtered requests through Go', async () => {
    const api = fakeUsage();
    const user = userEvent.setup();
    render(UsageView);
    await vi.waitFor(() => expect(screen.getAllByTestId('usage-row')).toHaveLength(3));
    await user.type(screen.getByTestId('filter-provider'), 'openai');
    await vi.waitFor(() => expect(screen.getAllByTestId('usage-row')).toHaveLength(1));
    await user.click(screen.getByTestId('usage-export'));
    expect(api.ExportCSV).toHaveBeenCalledWith(expect.objectContaining({ provider: 'openai' }), 'Export requests as CSV');
  });

  it('says why when the log is off, in Chinese too', async () => {
    setLocale('zh-CN');
    const api = fakeUsage(true);
    render(UsageView);
    await vi.waitFor(() => expect(screen.getByTestId('usage-off').textContent).toBe('请求日志未开启：disk is read-only'));
    expect(api.Requests).not.toHaveBeenCalled();
  });
});
