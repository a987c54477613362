import type { Factor } from '@huddle/shared/explain';
import type { Standing, TaskForecast } from '../../engine/forecast.ts';
import type { TaskId } from '../../types.ts';
import { trendCharts } from '../charts.ts';
import { presentForecast, type ForecastEvidence } from '../forecastView.ts';
import { clear, formatDay, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';

const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;

function valueText(task: TaskId, v: number): string {
  return task === 'injury' ? pct(v) : `${v.toFixed(1)} / 10`;
}

/** "raises your risk by 1.2 percentage points" / "lowers tomorrow's readiness by 0.3 points". */
function effectText(task: TaskId, attribution: number): string {
  const verb = attribution > 0 ? 'raises' : 'lowers';
  if (task === 'injury') {
    const pp = Math.abs(attribution * 100);
    return `${verb} your risk by ${pp < 0.1 ? 'less than 0.1' : pp.toFixed(1)} percentage ${pp >= 0.05 && pp < 1.05 ? 'point' : 'points'}`;
  }
  const pts = Math.abs(attribution);
  return `${verb} your readiness by ${pts < 0.05 ? 'less than 0.05' : pts.toFixed(pts < 0.1 ? 2 : 1)} points`;
}

function factorItem(task: TaskId, f: Factor): HTMLElement {
  const label = `${f.label.charAt(0).toUpperCase()}${f.label.slice(1)}`;
  return h(
    'li',
    { class: f.attribution > 0 === (task === 'injury') ? 'factor worse' : 'factor better', 'data-feature': f.feature },
    h('span', { class: 'factor-what' }, `${label}: ${f.reading}`),
    h('span', { class: 'factor-effect' }, ` — ${effectText(task, f.attribution)}`),
  );
}

function qualityText(q: NonNullable<ForecastEvidence['quality']> & { athletes?: number; reference?: string; difference?: { value: number; low: number; high: number } }): string {
  const d = (v: number) => v.toFixed(Math.abs(v) < 0.1 ? 3 : 2);
  const evidence = q.positives !== undefined ? `${q.days} held-out days, ${q.positives} with an injury` : `${q.days} held-out days`;
  const who = q.athletes !== undefined ? `${q.athletes} athletes' ` : '';
  const paired = q.difference && q.reference ? ` Against ${q.reference}: ${d(q.difference.value)} (95% interval ${d(q.difference.low)} to ${d(q.difference.high)}).` : '';
  return `Validated quality: ${q.metric} ${d(q.value)} (95% interval ${d(q.low)}–${d(q.high)}), on ${who}${evidence}.${paired}`;
}

function heuristicLine(f: TaskForecast): HTMLElement | null {
  return f.heuristic ? h('p', { class: 'heuristic', 'data-heuristic': f.heuristic.value.toFixed(4) }, `${f.heuristic.label}: ${valueText(f.task, f.heuristic.value)}`) : null;
}

function standingCard(s: Standing): HTMLElement {
  const pctText = (p: number | null, what: string) => (p === null ? `No recent ${what} logged.` : `Your ${what} is higher than about ${p}% of the federation's athletes.`);
  return h(
    'article',
    { class: 'card standing', id: 'standing', 'aria-labelledby': 'standing-title' },
    h('h3', { id: 'standing-title' }, 'Where you stand'),
    h('p', { 'data-percentile': String(s.readinessPercentile ?? '') }, pctText(s.readinessPercentile, 'readiness over your last 28 days')),
    h('p', { 'data-percentile': String(s.loadPercentile ?? '') }, pctText(s.loadPercentile, 'training load over the last 7 days')),
    h('p', { class: 'muted small' }, `From ${s.athletes} athletes' counts summed by secure aggregation${s.noise === 'none' ? '' : ' with differential-privacy noise'} (round ${s.modelRound}); nobody's own figures were seen, and yours stayed on this device.`),
  );
}

function forecastCard(f: TaskForecast & ForecastEvidence): HTMLElement {
  const title = f.task === 'readiness' ? `Readiness for ${formatDay(f.forDates[0])}` : `Injury risk, ${formatDay(f.forDates[0])} to ${formatDay(f.forDates[1])}`;
  const p = f.personalization;
  const source = p.used ? `Personalized on this device (team model round ${f.modelRound}). ${p.note}.` : `Team model, round ${f.modelRound}. ${p.note}.`;
  const baseline = f.baseline === 'typical-day' ? 'your typical day' : 'a neutral day';
  const view = presentForecast(f);
  const estimate = [
    h('p', { class: 'big', 'data-value': String(f.value) }, valueText(f.task, f.value)),
    typeof f.expected === 'number' && Number.isFinite(f.expected)
      ? h('p', { class: 'expected muted', 'data-expected': f.expected.toFixed(4) }, `That is the middle forecast; on average, days like this come out at ${valueText(f.task, f.expected)}.`)
      : null,
    h('p', { class: 'muted' }, `From your log up to ${formatDay(f.fromDate)}. ${source}`),
    h('h4', {}, `What drives it, compared with ${baseline} (${valueText(f.task, f.baselineValue)})`),
    f.factors.length ? h('ol', { class: 'factors' }, f.factors.map((x) => factorItem(f.task, x))) : h('p', {}, 'Today looks like your typical day: no factor stands out.'),
  ];
  const head = h('h3', { id: `forecast-${f.task}-title` }, title);
  const attrs = { class: `card forecast forecast-${f.task}`, id: `forecast-${f.task}`, 'aria-labelledby': `forecast-${f.task}-title` };
  if (view.kind === 'not-enough-evidence') {
    return h(
      'article',
      { ...attrs, 'data-evidence': 'none' },
      head,
      h('p', { class: 'no-evidence' }, 'Not enough evidence yet'),
      h('p', { class: 'evidence-reason' }, `No forecast to act on: ${view.reason}.`),
      heuristicLine(f),
      h('details', { class: 'unvalidated' }, h('summary', {}, 'Show the unvalidated estimate'), estimate),
    );
  }
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
  const o = view.observed;
  const observed = o
    ? h('p', { class: 'observed muted', 'data-observed-rate': o.rate.toFixed(4) }, `On the federation's held-out days that the team model rated ${pct(o.fromRisk)} to ${pct(o.toRisk)}, ${pct(o.rate)} were followed by an injury (95% interval ${pct(o.low)}–${pct(o.high)}; ${o.days} days, ${o.positives} with an injury; days counted as independent).`)
    : null;
  const interval = view.interval ? `Likely between ${valueText(f.task, view.interval.low)} and ${valueText(f.task, view.interval.high)} (${Math.round(view.interval.level * 100)}% interval).` : 'No interval available for this estimate.';
  return h(
    'article',
    { ...attrs, 'data-evidence': 'validated', 'data-band': view.band },
    head,
    h('p', { class: `band band-${view.band}` }, h('span', { class: 'band-dot', 'aria-hidden': 'true' }), view.label, ` (your usual: ${valueText(f.task, f.baselineValue)})`),
    h('p', { class: 'advice' }, view.advice),
    h('p', { class: 'interval' }, interval),
    observed,
    h('p', { class: 'quality muted' }, qualityText(view.quality)),
    heuristicLine(f),
    estimate,
  );
}

export const forecastScreen: ScreenFactory = (app) => {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'forecast-status' });
  const body = h('div', { id: 'forecast-body' });
  let disposeCharts: (() => void) | null = null;
  const refresh = h('button', { type: 'button', id: 'forecast-refresh' }, 'Update');

  const render = () => {
    disposeCharts?.();
    disposeCharts = null;
    if (app.forecastRunning) {
      status.textContent = 'Working out your forecasts on this device…';
      refresh.disabled = true;
    } else {
      refresh.disabled = false;
      status.textContent = app.forecastError ? `Could not compute forecasts: ${app.forecastError}` : '';
    }
    const f = app.forecast;
    if (!f) return;
    const { result, notes } = f;
    const cards = (['readiness', 'injury'] as const).map((task) => {
      const forecast = result.forecasts[task];
      if (forecast) return forecastCard(forecast);
      return h('article', { class: 'card forecast', id: `forecast-${task}` }, h('h3', {}, task === 'readiness' ? 'Readiness' : 'Injury risk'), h('p', {}, `Not available: ${result.unavailable[task] ?? 'unknown reason'}.`));
    });
    const charts = result.trend.dates.length > 1 ? trendCharts(result.trend) : null;
    disposeCharts = charts?.dispose ?? null;
    clear(
      body,
      notes.map((n) => h('p', { class: 'notice' }, n)),
      h('div', { class: 'forecasts' }, cards),
      result.standing ? standingCard(result.standing) : null,
      charts ? h('section', { 'aria-labelledby': 'trends-title' }, h('h3', { id: 'trends-title' }, 'Trends'), charts.el) : null,
      h(
        'p',
        { class: 'muted small' },
        'Estimates from a statistical model trained with your team, not medical advice. Colours compare the estimate with your own usual, not with other athletes. Each factor’s effect is measured with integrated gradients: the effects add up to the difference between today’s estimate and the one for your typical day.',
      ),
    );
  };
  refresh.addEventListener('click', () => {
    void app.refreshForecast(true);
    render();
  });
  const off = app.on((e) => {
    if (e.type === 'forecast') render();
  });
  void app.refreshForecast(false);
  render();
  return {
    el: h('section', { 'aria-labelledby': 'forecast-title' }, h('div', { class: 'title-row' }, h('h2', { id: 'forecast-title', tabindex: '-1' }, 'Your forecasts'), refresh), status, body),
    dispose: () => {
      off();
      disposeCharts?.();
    },
  };
};
