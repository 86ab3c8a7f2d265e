// Chart.js configurations for the Usage view, coloured from the theme's CSS variables.
import type { ChartConfiguration } from 'chart.js';
import type { Stacked } from './usage';

const palette = ['#2f6fed', '#e8833a', '#1f9d55', '#c9362b', '#8e44ad', '#16a2b8', '#b8860b', '#d6336c', '#6c757d', '#20c997'];

export function cssVar(name: string, fallback: string): string {
  const v = typeof getComputedStyle === 'function' ? getComputedStyle(document.documentElement).getPropertyValue(name).trim() : '';
  return v || fallback;
}

function axes(stacked: boolean) {
  const grid = { color: cssVar('--border', '#dcdfe5') };
  const ticks = { color: cssVar('--fg-muted', '#5f6672') };
  return { x: { stacked, grid, ticks }, y: { stacked, grid, ticks, beginAtZero: true } };
}

export function stackedBar(s: Stacked, labels: string[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: s.datasets.map((d, i) => ({ label: d.label || '—', data: d.data, backgroundColor: palette[i % palette.length] })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: axes(true),
      plugins: { legend: { labels: { color: cssVar('--fg', '#1c1f24') } } },
    },
  };
}

export function requestsChart(labels: string[], requests: number[], errorRate: number[], names: { requests: string; errorRate: string }): ChartConfiguration {
  const a = axes(false);
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'bar', label: names.requests, data: requests, backgroundColor: palette[0], yAxisID: 'y' },
        { type: 'line', label: names.errorRate, data: errorRate, borderColor: cssVar('--danger', '#c9362b'), backgroundColor: cssVar('--danger', '#c9362b'), yAxisID: 'y1' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: a.x, y: a.y, y1: { position: 'right', beginAtZero: true, max: 100, grid: { drawOnChartArea: false }, ticks: a.y.ticks } },
      plugins: { legend: { labels: { color: cssVar('--fg', '#1c1f24') } } },
    },
  };
}
