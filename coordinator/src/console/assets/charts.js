// @ts-check
import { el, fmt } from './dom.js';

/** @type {Map<string, any>} */
const live = new Map();

/** Series colours read from the stylesheet, so light and dark mode both keep their contrast. */
function palette() {
  const css = getComputedStyle(document.documentElement);
  return { series: ['--s1', '--s2', '--s3'].map((v) => css.getPropertyValue(v).trim()), text: css.getPropertyValue('--fg').trim(), muted: css.getPropertyValue('--muted').trim(), line: css.getPropertyValue('--line').trim() };
}

/**
 * A Chart.js line chart of per-round values: hover tooltips, both axes labelled, the y axis from zero, and the numbers
 * as a table for screen readers.
 * @param {string} id @param {string} title @param {string} yLabel @param {number[]} rounds
 * @param {{ name: string, values: (number | null)[] }[]} allSeries
 * @param {string} emptyText what to say when no series has a value
 */
export function lineChart(id, title, yLabel, rounds, allSeries, emptyText) {
  live.get(id)?.destroy();
  live.delete(id);
  const series = allSeries.filter((s) => s.values.some((v) => v !== null && Number.isFinite(v)));
  const figure = el('figure', { 'aria-labelledby': `${id}-caption` }, el('figcaption', { id: `${id}-caption`, text: title }));
  if (series.length === 0) {
    figure.append(el('p', { class: 'help', text: emptyText }));
    return figure;
  }
  const latest = series.map((s) => `${s.name} ${fmt(s.values.at(-1))}`).join(', ');
  const canvas = el('canvas', { id, role: 'img', 'aria-label': `${title}, rounds ${rounds[0]} to ${rounds.at(-1)}; latest: ${latest}` });
  const box = el('div', { class: 'chart-box' }, canvas);
  const tableEl = el(
    'table',
    {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Round' }), ...series.map((s) => el('th', { scope: 'col', class: 'num', text: s.name })))),
    el('tbody', {}, ...rounds.map((x, i) => el('tr', {}, el('th', { scope: 'row', text: String(x) }), ...series.map((s) => el('td', { class: 'num', text: fmt(s.values[i]) }))))),
  );
  figure.append(box, el('details', {}, el('summary', { text: `${title}: data table` }), tableEl));
  const Chart = /** @type {any} */ (window).Chart;
  if (!Chart) return figure;
  const p = palette();
  queueMicrotask(() => {
    if (!canvas.isConnected) return;
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: rounds.map(String),
        datasets: series.map((s, k) => ({ label: s.name, data: s.values, borderColor: p.series[k % 3], backgroundColor: p.series[k % 3], borderDash: k === 1 ? [6, 4] : k === 2 ? [2, 3] : [], pointRadius: 3, spanGaps: true })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        color: p.text,
        plugins: { legend: { labels: { color: p.text, usePointStyle: true } }, tooltip: { callbacks: { label: (/** @type {any} */ c) => `${c.dataset.label}: ${fmt(c.parsed.y, 4)}` } } },
        scales: {
          x: { title: { display: true, text: 'Round', color: p.text }, ticks: { color: p.text }, grid: { color: p.line } },
          y: { beginAtZero: true, title: { display: true, text: yLabel, color: p.text }, ticks: { color: p.text }, grid: { color: p.line } },
        },
      },
    });
    live.set(id, chart);
  });
  return figure;
}

/** The loss and quality charts of one task from its completed rounds. @param {string} task @param {any[]} completed */
export function taskCharts(task, completed) {
  const rounds = completed.map((r) => r.round);
  const none = completed.length === 0 ? 'No completed rounds yet.' : null;
  const charts = [
    lineChart(
      `chart-${task}-loss`,
      `${task}: loss per completed round`,
      'Loss',
      rounds,
      [
        { name: 'Training loss', values: completed.map((r) => r.trainLoss) },
        { name: 'Held-out loss', values: completed.map((r) => r.metrics?.loss ?? null) },
      ],
      none ?? `${completed.length} completed rounds, none with a loss to show (under differential privacy the training loss is withheld; held-out loss needs evaluating clients).`,
    ),
    task === 'injury'
      ? lineChart(
          `chart-${task}-quality`,
          `${task}: ranking quality per round`,
          'AUC',
          rounds,
          [
            { name: 'ROC AUC', values: completed.map((r) => r.metrics?.auc ?? null) },
            { name: 'PR AUC', values: completed.map((r) => r.metrics?.prAuc ?? null) },
          ],
          none ?? `${completed.length} completed rounds, none evaluated on held-out days with both outcomes present.`,
        )
      : lineChart(
          `chart-${task}-quality`,
          `${task}: prediction error per round`,
          'Error (readiness points)',
          rounds,
          [
            { name: 'MAE', values: completed.map((r) => r.metrics?.mae ?? null) },
            { name: 'RMSE', values: completed.map((r) => r.metrics?.rmse ?? null) },
          ],
          none ?? `${completed.length} completed rounds, none evaluated on held-out days yet.`,
        ),
  ];
  return el('article', { 'aria-label': `Charts of ${task}` }, el("h3", { text: `Charts: ${task}` }), ...charts);
}
