import { chartJsUmd } from '@huddle/coordinator';
import { esc, fmt } from './escape.ts';

export interface Series {
  name: string;
  color: string;
  points: [number, number | null][];
  dashed?: boolean;
}

let counter = 0;

/** JSON that may sit inside a <script> element: no "</script>" or "<!--" can appear in it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const trim = (v: number): string => String(Number(v.toPrecision(4)));

/**
 * A chart as the report ships it: a canvas Chart.js draws from the JSON spec beside it (hover tooltips, labelled axes
 * from zero), an accessible name, and the numbers as a table for readers and for when scripts are off.
 */
function figure(title: string, spec: unknown, head: string[], rows: string[][]): string {
  const id = `chart-${++counter}`;
  const table = `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
  return (
    `<figure class="chart" data-chart="${id}"><figcaption>${esc(title)}</figcaption>` +
    `<div class="chart-box"><canvas id="${id}" role="img" aria-label="${esc(title)}"></canvas></div>` +
    `<script type="application/json" class="chart-spec">${scriptJson(spec)}</script>` +
    `<details><summary>${esc(title)}: data</summary>${table}</details></figure>`
  );
}

const axis = (label: string, extra: Record<string, unknown> = {}) => ({ title: { display: true, text: label }, beginAtZero: true, ...extra });

/** Lines over a numeric x axis; null y values break a line. */
export function lineChart(o: { title: string; xLabel: string; yLabel: string; series: Series[]; integerX?: boolean }): string {
  const spec = {
    type: 'line',
    data: {
      datasets: o.series.map((s) => ({
        label: s.name,
        data: s.points.map(([x, y]) => ({ x, y })),
        borderColor: s.color,
        backgroundColor: s.color,
        borderDash: s.dashed ? [5, 4] : [],
        pointRadius: s.dashed ? 0 : 2.5,
        spanGaps: false,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'right', labels: { usePointStyle: true } } },
      scales: { x: { ...axis(o.xLabel), beginAtZero: false, type: 'linear', ...(o.integerX ? { ticks: { precision: 0 } } : {}) }, y: axis(o.yLabel) },
    },
  };
  const xs = [...new Set(o.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const rows = xs.map((x) => [trim(x), ...o.series.map((s) => fmt(s.points.find((p) => p[0] === x)?.[1] ?? null, 4))]);
  return figure(o.title, spec, [o.xLabel, ...o.series.map((s) => s.name)], rows);
}

/** Groups of bars (one group per subgroup value, one bar per method). */
/** Bars may carry a 95% interval (lo, hi): it is shown in the chart's data table beside the value. */
export function groupedBars(o: { title: string; yLabel: string; groups: { label: string; bars: { name: string; color: string; value: number | null; lo?: number | null; hi?: number | null }[] }[] }): string {
  const names = new Map<string, string>();
  for (const g of o.groups) for (const b of g.bars) names.set(b.name, b.color);
  const spec = {
    type: 'bar',
    data: {
      labels: o.groups.map((g) => g.label),
      datasets: [...names].map(([name, color]) => ({ label: name, backgroundColor: color, data: o.groups.map((g) => g.bars.find((b) => b.name === name)?.value ?? null) })),
    },
    options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, plugins: { legend: { position: 'right' } }, scales: { x: { title: { display: false } }, y: axis(o.yLabel) } },
  };
  const cell = (b: { value: number | null; lo?: number | null; hi?: number | null } | undefined) =>
    b && b.value !== null && b.lo != null && b.hi != null ? `${fmt(b.value, 4)} [${fmt(b.lo, 4)}, ${fmt(b.hi, 4)}]` : fmt(b?.value ?? null, 4);
  const rows = o.groups.map((g) => [g.label, ...[...names.keys()].map((n) => cell(g.bars.find((b) => b.name === n)))]);
  return figure(o.title, spec, ['group', ...names.keys()], rows);
}

/** Draws every chart of the page from its spec; inline so the report stays one offline file. */
const BOOT = `for(const f of document.querySelectorAll('figure[data-chart]')){const spec=JSON.parse(f.querySelector('script.chart-spec').textContent);new Chart(f.querySelector('canvas'),spec);}`;

/** The chart library (Chart.js's UMD build, inlined) and the script that draws the page's charts; goes at the end of <body>. */
export function chartScripts(): string {
  return `<script>${chartJsUmd().replace(/<\/script/gi, '<\\/script')}</script><script>${BOOT}</script>`;
}

export const CHART_CSS = `figure.chart{margin:12px 0}figure.chart figcaption{font-weight:600;font-size:14px}.chart-box{position:relative;height:330px;max-width:900px}`;
