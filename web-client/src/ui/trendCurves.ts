import type { LoadTrends } from '@huddle/shared/twin';
import { chartCard } from './charts.ts';
import { formatDay, h } from './dom.ts';

/** Colours with at least 4.5:1 contrast on white (the legends and the data table use them as text-adjacent marks). */
const COLORS = { fitness: '#2f6fba', fatigue: '#b3261e', form: '#1f6f43', acwr: '#6a3d9a', band: '#5f6b7a' };
/** The range the literature calls the "sweet spot" of the acute:chronic ratio (Gabbett 2016). */
const SWEET_SPOT = [0.8, 1.3] as const;
const TABLE_DAYS = 56;

/** Fitness/fatigue, form and acute:chronic charts (Chart.js), with the numbers of the last 8 weeks as a table. */
export function trendCurves(t: LoadTrends): { el: HTMLElement; dispose: () => void } {
  const labels = t.dates.map(formatDay);
  const base = { responsive: true, maintainAspectRatio: false, animation: false as const, interaction: { mode: 'index' as const, intersect: false } };
  const x = { ticks: { maxTicksLimit: 6, maxRotation: 0, autoSkip: true } };
  const last = t.dates.length - 1;
  const lastAcwr = t.acwr[last] ?? null;
  const line = (label: string, data: (number | null)[], color: string, extra: Record<string, unknown> = {}) => ({ label, data, borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2, ...extra });
  const cards = [
    chartCard('chart-fitness-fatigue', 'Fitness and fatigue (AU per day)', `Today fitness ${t.fitness[last]} and fatigue ${t.fatigue[last]} AU per day, over ${t.dates.length} days.`, {
      type: 'line',
      data: { labels, datasets: [line(`Fitness (${t.fitnessTau}-day)`, t.fitness, COLORS.fitness), line(`Fatigue (${t.fatigueTau}-day)`, t.fatigue, COLORS.fatigue, { borderDash: [6, 4] })] },
      options: { ...base, scales: { x, y: { beginAtZero: true, title: { display: true, text: 'AU per day' } } } },
    }),
    chartCard('chart-form', 'Form (fitness minus fatigue)', `Today form ${t.form[last]}: ${t.form[last]! < 0 ? 'fatigue above fitness' : 'fresher than your fitness'}.`, {
      type: 'line',
      data: { labels, datasets: [line('Form', t.form, COLORS.form, { fill: { target: { value: 0 }, above: 'rgba(31, 111, 67, 0.15)', below: 'rgba(179, 38, 30, 0.15)' } })] },
      // Form is negative when fatigue exceeds fitness: the axis is centred on what the data needs, with 0 marked.
      options: { ...base, scales: { x, y: { grid: { color: (c: { tick: { value: number } }) => (c.tick.value === 0 ? '#333' : 'rgba(0,0,0,0.1)') }, title: { display: true, text: 'AU per day' } } } },
    }),
    chartCard('chart-acwr', 'Acute:chronic workload ratio', lastAcwr === null ? 'Shown once 28 days are logged.' : `Today ${lastAcwr.toFixed(2)}; ${SWEET_SPOT[0]}–${SWEET_SPOT[1]} is the usual range.`, {
      type: 'line',
      data: {
        labels,
        datasets: [
          line('Acute:chronic (7 d : 28 d)', t.acwr, COLORS.acwr, { spanGaps: false }),
          line(`Usual range ${SWEET_SPOT[0]}–${SWEET_SPOT[1]}`, t.dates.map(() => SWEET_SPOT[1]), COLORS.band, { borderDash: [2, 3], borderWidth: 1 }),
          line('Lower end', t.dates.map(() => SWEET_SPOT[0]), COLORS.band, { borderDash: [2, 3], borderWidth: 1 }),
        ],
      },
      options: { ...base, plugins: { legend: { labels: { filter: (item: { text: string }) => item.text !== 'Lower end' } } }, scales: { x, y: { beginAtZero: true, title: { display: true, text: 'ratio' } } } },
    }),
  ];
  const from = Math.max(0, t.dates.length - TABLE_DAYS);
  const rows = t.dates.slice(from).map((d, i) => ({ d, i: from + i })).reverse();
  // "-0" reads as a sign error: values that round to zero are written 0.
  const num = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '–' : v.toFixed(digits).replace(/^-(0(?:\.0+)?)$/, '$1'));
  const table = h(
    'details',
    { class: 'card', id: 'trends-table' },
    h('summary', {}, `The numbers, day by day (last ${rows.length} days)`),
    h(
      'table',
      { class: 'days' },
      h('caption', {}, 'Load, fitness, fatigue, form and acute:chronic ratio per day, newest first'),
      h('thead', {}, h('tr', {}, ['Day', 'Load (AU)', 'Fitness', 'Fatigue', 'Form', 'Acute:chronic'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map(({ d, i }) => h('tr', {}, h('th', { scope: 'row' }, formatDay(d)), h('td', {}, num(t.load[i])), h('td', {}, num(t.fitness[i])), h('td', {}, num(t.fatigue[i])), h('td', {}, num(t.form[i])), h('td', {}, num(t.acwr[i], 2))))),
    ),
  );
  const el = h('div', { class: 'charts' }, cards.map((c) => c.el), table);
  queueMicrotask(() => cards.forEach((c) => c.chart()));
  return { el, dispose: () => cards.forEach((c) => c.chart().destroy()) };
}
