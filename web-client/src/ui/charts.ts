import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import type { TrendSeries } from '../engine/forecast.ts';
import { formatDay, h } from './dom.ts';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLORS = { load: '#2f6fba', readiness: '#1f8a5b', forecast: '#c77700', risk: '#b3261e' };

export function chartCard(id: string, title: string, summary: string, config: ChartConfiguration): { el: HTMLElement; chart: () => Chart } {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': `${title}. ${summary}` }, summary);
  const el = h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas));
  let chart: Chart | null = null;
  return {
    el,
    chart: () => (chart ??= new Chart(canvas, config)),
  };
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/** Load, readiness (logged and forecast) and injury-risk trend charts. Returns the figures and a disposer. */
export function trendCharts(trend: TrendSeries): { el: HTMLElement; dispose: () => void } {
  const labels = trend.dates.map(formatDay);
  const base = { responsive: true, maintainAspectRatio: false, animation: false as const, interaction: { mode: 'index' as const, intersect: false } };
  const x = { ticks: { maxTicksLimit: 6, maxRotation: 0, autoSkip: true } };
  const lastWeek = mean(trend.load.slice(-8, -1));
  const cards = [
    chartCard(
      'chart-load',
      'Training load (AU per day)',
      lastWeek === null ? 'No load logged recently.' : `Average over the last 7 logged days: ${Math.round(lastWeek)} AU.`,
      {
        type: 'bar',
        data: { labels, datasets: [{ label: 'Load (RPE × minutes)', data: trend.load, backgroundColor: COLORS.load }] },
        options: { ...base, scales: { x, y: { beginAtZero: true } } },
      },
    ),
    chartCard(
      'chart-readiness',
      'Readiness (0–10)',
      `Logged readiness and the forecast made the day before, over ${trend.dates.length} days.`,
      {
        type: 'line',
        data: {
          labels,
          datasets: [
            { label: 'Logged', data: trend.readiness, borderColor: COLORS.readiness, backgroundColor: COLORS.readiness, spanGaps: false, pointRadius: 2 },
            { label: 'Forecast', data: trend.predictedReadiness, borderColor: COLORS.forecast, backgroundColor: COLORS.forecast, borderDash: [6, 4], pointRadius: 0 },
          ],
        },
        options: { ...base, scales: { x, y: { min: 0, max: 10 } } },
      },
    ),
    chartCard(
      'chart-risk',
      'Estimated 7-day injury risk (%)',
      `Risk estimated on each day, over ${trend.dates.length} days.`,
      {
        type: 'line',
        data: {
          labels,
          datasets: [
            {
              label: 'Risk',
              data: trend.risk.map((r) => (r === null ? null : Math.round(r * 1000) / 10)),
              borderColor: COLORS.risk,
              backgroundColor: 'rgba(179, 38, 30, 0.12)',
              fill: true,
              pointRadius: 0,
            },
          ],
        },
        options: { ...base, scales: { x, y: { beginAtZero: true } } },
      },
    ),
  ];
  const el = h('div', { class: 'charts' }, cards.map((c) => c.el));
  // Charts are created once their canvases are in the document.
  queueMicrotask(() => cards.forEach((c) => c.chart()));
  return { el, dispose: () => cards.forEach((c) => c.chart().destroy()) };
}
