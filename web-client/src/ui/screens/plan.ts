import { DEFAULT_CONSTRAINTS, formatLimitPercent, formatPlanError, planLoads, validatePlan, type PlanGoal, type PlannedDay as PlanDayInput, type WhatIfResult } from '@huddle/shared/twin';
import type { TwinSummary } from '../../engine/planJob.ts';
import { clear, field, formatDay, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import type { App } from '../../app.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function weekdayIndex(iso: string): number {
  return (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;
}

interface PlanEditor {
  letter: string;
  el: HTMLElement;
  read(): PlanDayInput[];
}

/** A 7-day plan: one session (effort x minutes) per day; 0 or empty minutes is a rest day. */
function planEditor(letter: string, dates: string[], initial: { rpe: number; minutes: number }[], title: string): PlanEditor {
  const rows = dates.map((date, i) => {
    const rpe = h('input', { type: 'number', inputmode: 'decimal', min: 0, max: 10, step: 0.5, id: `plan-${letter}-rpe-${i}`, class: 'plan-rpe', value: initial[i]!.minutes > 0 ? initial[i]!.rpe : '' });
    const minutes = h('input', { type: 'number', inputmode: 'numeric', min: 0, max: 1440, step: 1, id: `plan-${letter}-min-${i}`, class: 'plan-minutes', value: initial[i]!.minutes > 0 ? initial[i]!.minutes : '' });
    const label = formatDay(date);
    return {
      date,
      rpe,
      minutes,
      el: h(
        'div',
        { class: 'plan-day' },
        h('span', { class: 'plan-date', 'aria-hidden': 'true' }, label),
        h('label', { for: rpe.id, class: 'visually-hidden' }, `Plan ${letter}, ${label}, effort (RPE 0–10)`),
        rpe,
        h('label', { for: minutes.id, class: 'visually-hidden' }, `Plan ${letter}, ${label}, minutes`),
        minutes,
      ),
    };
  });
  return {
    letter,
    el: h(
      'fieldset',
      { class: 'plan-editor', id: `plan-${letter}` },
      h('legend', {}, `Plan ${letter}: ${title}`),
      h('div', { class: 'plan-day plan-head', 'aria-hidden': 'true' }, h('span', {}, 'Day'), h('span', {}, 'Effort (RPE 0–10)'), h('span', {}, 'Minutes')),
      rows.map((r) => r.el),
    ),
    read: () =>
      rows.map((r) => {
        const minutes = r.minutes.value.trim() === '' ? 0 : Number(r.minutes.value);
        const rpe = r.rpe.value.trim() === '' ? (minutes > 0 ? NaN : 0) : Number(r.rpe.value);
        return { date: r.date, sessions: minutes === 0 && (r.rpe.value.trim() === '' || rpe === 0) ? [] : [{ rpe, minutes }] };
      }),
  };
}

function usualDays(twin: TwinSummary, dates: string[]): { rpe: number; minutes: number }[] {
  const recent = twin.recentLoads;
  const level = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : twin.loadScale;
  return dates.map((d) => {
    const load = level * twin.weekdayPattern[weekdayIndex(d)]!;
    return load < 30 ? { rpe: 0, minutes: 0 } : { rpe: 6, minutes: Math.round(load / 6) };
  });
}

/** "What if we add two hard interval sessions this week?": the usual week with two of its easier days made hard. */
function withIntervals(usual: { rpe: number; minutes: number }[]): { rpe: number; minutes: number }[] {
  const order = usual.map((d, i) => ({ i, load: d.rpe * d.minutes })).filter((d) => d.load > 0).sort((a, b) => a.load - b.load);
  const hard = new Set(order.slice(0, 2).map((d) => d.i));
  return usual.map((d, i) => (hard.has(i) ? { rpe: 8, minutes: Math.max(45, d.minutes) + 20 } : d));
}

function comparisonTable(results: { letter: string; r: WhatIfResult }[]): HTMLElement {
  const last = (r: WhatIfResult) => r.days[r.days.length - 1]!;
  const rows: [string, (r: WhatIfResult) => string][] = [
    ['Week’s load', (r) => `${Math.round(r.totalLoad)} AU`],
    ['Injury risk this week', (r) => `${pct(r.weeklyRisk[0]!.risk)} (${pct(r.weeklyRisk[0]!.band[0])}–${pct(r.weeklyRisk[0]!.band[1])})`],
    ['Readiness at the end', (r) => `${last(r).readiness.toFixed(1)} (${last(r).readinessBand[0].toFixed(1)}–${last(r).readinessBand[1].toFixed(1)})`],
    ['Highest acute:chronic ratio', (r) => Math.max(...r.days.map((d) => d.acwr)).toFixed(2)],
    ['Monotony', (r) => last(r).monotony.toFixed(1)],
    ['Fitness / fatigue at the end', (r) => `${last(r).fitness.toFixed(2)} / ${last(r).fatigue.toFixed(2)}`],
    ['Form at the end', (r) => last(r).form.toFixed(2)],
  ];
  return h(
    'table',
    { id: 'plan-comparison-table', class: 'compare' },
    h('caption', {}, 'Your twin’s forecast for each plan (90% bands)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), results.map((x) => h('th', { scope: 'col' }, `Plan ${x.letter}`)))),
    h('tbody', {}, rows.map(([label, f]) => h('tr', {}, h('th', { scope: 'row' }, label), results.map((x) => h('td', {}, f(x.r)))))),
  );
}

function dayTable(results: { letter: string; r: WhatIfResult }[]): HTMLElement {
  return h(
    'table',
    { id: 'plan-days-table', class: 'days' },
    h('caption', {}, 'Day by day: readiness and injury risk'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), results.map((x) => h('th', { scope: 'col' }, `Plan ${x.letter}`)))),
    h(
      'tbody',
      {},
      results[0]!.r.days.map((d, i) =>
        h('tr', {}, h('th', { scope: 'row' }, formatDay(d.date)), results.map((x) => h('td', {}, `${Math.round(x.r.days[i]!.load)} AU · ${x.r.days[i]!.readiness.toFixed(1)} · ${pct(x.r.days[i]!.risk)}`))),
      ),
    ),
  );
}

const today = () => new Date().toISOString().slice(0, 10);

/** The Plan screen. The twin is fitted, and plans are run, in the engine worker on the log it reads itself. */
export const planScreen: ScreenFactory = (app: App) => {
  const body = h('div', { id: 'plan-body' });
  const working = h('p', { class: 'status', role: 'status', id: 'plan-working' }, 'Fitting your twin on this device…');
  app.engine
    .plan({ kind: 'twin', today: today() })
    .then((r) => {
      if (r.kind !== 'twin') return;
      working.textContent = '';
      clear(body, planBody(app, r.twin, working));
    })
    .catch((err: unknown) => (working.textContent = `Could not fit your twin: ${err instanceof Error ? err.message : String(err)}`));
  return { el: h('section', { 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title', tabindex: '-1' }, 'Plan your week'), working, body) };
};

function planBody(app: App, twin: TwinSummary, working: HTMLElement): HTMLElement[] {
  const first = addDays(twin.lastDate, 1);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(first, i));
  const usual = usualDays(twin, dates);
  const editors: PlanEditor[] = [planEditor('A', dates, usual, 'your usual week'), planEditor('B', dates, withIntervals(usual), 'two hard interval sessions')];
  const editorsEl = h('div', { class: 'plan-editors' }, editors.map((e) => e.el));
  const errors = h('div', { id: 'plan-errors', class: 'errors', role: 'alert' });
  const comparison = h('div', { id: 'plan-comparison', 'aria-live': 'polite' });
  const addPlan = h('button', { type: 'button', id: 'plan-add' }, 'Add plan C');
  addPlan.addEventListener('click', () => {
    const e = planEditor('C', dates, usual, 'your own');
    editors.push(e);
    editorsEl.append(e.el);
    addPlan.hidden = true;
  });

  const readPlans = (): { letter: string; days: PlanDayInput[] }[] | null => {
    const problems: string[] = [];
    const plans = editors.map((e) => {
      const v = validatePlan(e.read());
      if (!v.ok) problems.push(...v.errors.map((x) => `Plan ${e.letter}: ${formatPlanError(x)}`));
      return { letter: e.letter, days: v.ok ? v.days : [] };
    });
    clear(errors, problems.length ? [h('p', {}, 'Please check:'), h('ul', {}, problems.map((p) => h('li', {}, p)))] : []);
    return problems.length ? null : plans;
  };

  const compare = h('button', { type: 'button', class: 'primary', id: 'plan-compare' }, 'Compare plans');
  compare.addEventListener('click', () => {
    const plans = readPlans();
    if (!plans) return;
    working.textContent = 'Running the plans on your twin…';
    app.engine
      .plan({ kind: 'whatIf', today: today(), startDate: first, plans: plans.map((p) => planLoads(p.days)) })
      .then((out) => {
        if (out.kind !== 'whatIf') return;
        working.textContent = '';
        const results = out.results.map((r, i) => ({ letter: plans[i]!.letter, r }));
        const warnings = results.flatMap((x) => x.r.warnings.filter((w) => w !== twin.note).map((w) => `Plan ${x.letter}: ${w}`));
        clear(comparison, comparisonTable(results), dayTable(results), warnings.length ? h('ul', { class: 'warnings' }, warnings.map((w) => h('li', {}, w))) : null);
      })
      .catch((err: unknown) => (working.textContent = `Could not run the plans: ${err instanceof Error ? err.message : String(err)}`));
  });

  /* ---------- recommendation ---------- */
  const goal = h('select', { id: 'plan-goal' }, h('option', { value: 'build' }, 'Build fitness'), h('option', { value: 'taper' }, 'Taper to a date'), h('option', { value: 'return' }, 'Return from injury'));
  const target = h('input', { type: 'date', id: 'plan-target', value: addDays(first, 10), min: addDays(first, 1) });
  const returnLoad = h('input', { type: 'number', id: 'plan-return-load', min: 0, max: 5000, step: 10, value: Math.round(0.4 * twin.loadScale) });
  const maxRisk = h('input', { type: 'number', id: 'plan-max-risk', min: 0.5, max: 50, step: 0.25, value: 100 * DEFAULT_CONSTRAINTS.maxWeeklyRisk });
  const maxIncrease = h('input', { type: 'number', id: 'plan-max-increase', min: 0, max: 100, step: 1, value: 100 * DEFAULT_CONSTRAINTS.maxWeeklyIncrease });
  const restBoxes = WEEKDAYS.map((_, i) => h('input', { type: 'checkbox', id: `plan-rest-${i}`, value: String(i) }));
  const targetField = field('Competition day', target);
  const returnField = field('Largest load on the first day back (AU)', returnLoad);
  const syncGoal = () => {
    targetField.style.display = goal.value === 'taper' ? '' : 'none';
    returnField.style.display = goal.value === 'return' ? '' : 'none';
  };
  goal.addEventListener('change', syncGoal);
  syncGoal();
  const recommendation = h('div', { id: 'plan-recommendation', 'aria-live': 'polite' });
  const status = h('p', { class: 'status', role: 'status', id: 'plan-status' });

  const recommendButton = h('button', { type: 'button', class: 'primary', id: 'plan-recommend' }, 'Recommend a plan');
  recommendButton.addEventListener('click', () => {
    status.textContent = '';
    const plans = readPlans();
    if (!plans) return;
    const risk = Number(maxRisk.value) / 100;
    const increase = Number(maxIncrease.value) / 100;
    const problems: string[] = [];
    if (!(risk > 0 && risk < 1)) problems.push('Largest weekly injury risk: must be above 0% and below 100%');
    if (!(increase >= 0 && increase <= 2)) problems.push('Largest week-on-week increase: must be from 0% to 200%');
    let g: PlanGoal = { kind: 'build' };
    if (goal.value === 'taper') {
      if (!target.value || target.value <= first) problems.push(`Competition day: must be after ${formatDay(first)}`);
      g = { kind: 'taper', targetDate: target.value };
    } else if (goal.value === 'return') {
      const l = Number(returnLoad.value);
      if (returnLoad.value.trim() === '' || !(l >= 0)) problems.push('Largest load on the first day back: must be 0 AU or more');
      g = { kind: 'return', returnLoad: l };
    }
    if (problems.length) {
      clear(errors, h('p', {}, 'Please check:'), h('ul', {}, problems.map((p) => h('li', {}, p))));
      return;
    }
    const constraints = { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: risk, maxWeeklyIncrease: increase, restWeekdays: restBoxes.filter((b) => b.checked).map((b) => Number(b.value)) };
    working.textContent = 'Working out a recommendation on your twin…';
    app.engine
      .plan({ kind: 'recommend', today: today(), request: { startDate: first, horizonDays: 7, goal: g, constraints, baseline: planLoads(plans[0]!.days) } })
      .then((out) => {
        if (out.kind !== 'recommend') return;
        working.textContent = '';
        const rec = out.recommendation;
        const accept = h('button', { type: 'button', class: 'primary', id: 'plan-accept' }, 'Accept this plan');
        const reject = h('button', { type: 'button', id: 'plan-reject' }, 'Reject');
        accept.addEventListener('click', () => {
          void app.vault.planned
            .accept(rec.reasons.map((r) => ({ date: r.date, load: r.to, reason: r.reason })))
            .then(() => {
              status.textContent = `Saved ${rec.reasons.length} planned days to your log, encrypted on this device. You can change them any time.`;
              app.emit({ type: 'log' });
            })
            .catch(() => (status.textContent = 'Could not save the plan. Try again.'));
        });
        reject.addEventListener('click', () => {
          clear(recommendation);
          status.textContent = 'Recommendation rejected: nothing was saved.';
        });
        clear(
          recommendation,
          h('h4', {}, `Recommended from ${formatDay(rec.startDate)}, compared with Plan A`),
          h(
            'ol',
            { id: 'plan-reasons', class: 'reasons' },
            rec.reasons.map((r) => h('li', { class: `reason ${r.change}`, 'data-load': r.to }, h('strong', {}, `${formatDay(r.date)}: ${r.from} → ${r.to} AU. `), r.reason)),
          ),
          h('p', { id: 'plan-week-risk' }, rec.weeklyRisk.map((w, k) => `Week ${k + 1}: injury risk ${pct(w.risk)} (your limit ${formatLimitPercent(constraints.maxWeeklyRisk)}).`).join(' ')),
          rec.notes.map((n) => h('p', { class: 'notice' }, n)),
          h('p', { class: 'muted small' }, 'Advisory only: you and your coach decide. Accept it, edit Plan A and ask again, or reject it.'),
          h('div', { class: 'actions' }, accept, reject),
        );
      })
      .catch((err: unknown) => (working.textContent = `Could not work out a recommendation: ${err instanceof Error ? err.message : String(err)}`));
  });

  return [
    h('p', { id: 'plan-fit', class: twin.source === 'prior' ? 'notice' : 'muted' }, `${twin.note} Your plan starts on ${formatDay(first)}, the day after your last logged day. Everything is worked out on this device.`),
    h('p', { id: 'plan-prior', class: 'muted', 'data-prior': twin.priorSource }, twin.priorNote),
    h('section', { 'aria-labelledby': 'plan-compare-title', class: 'card' }, h('h3', { id: 'plan-compare-title' }, 'Compare plans'), editorsEl, h('div', { class: 'actions' }, addPlan, compare), errors, comparison),
    h(
      'section',
      { 'aria-labelledby': 'plan-rec-title', class: 'card' },
      h('h3', { id: 'plan-rec-title' }, 'Get a recommendation'),
      field('Goal', goal),
      targetField,
      returnField,
      field('Largest weekly injury risk (%)', maxRisk),
      field('Largest week-on-week increase (%)', maxIncrease),
      h('fieldset', {}, h('legend', {}, 'Fixed rest days'), restBoxes.map((b, i) => h('div', { class: 'check' }, b, h('label', { for: b.id }, WEEKDAYS[i]!)))),
      h('div', { class: 'actions' }, recommendButton),
      recommendation,
      status,
    ),
  ];
}

/** The log screen's list of accepted planned days. */
export function plannedDaysSection(app: App): HTMLElement {
  const days = app.vault.planned.days();
  return h(
    'section',
    { 'aria-labelledby': 'planned-title', id: 'planned-days' },
    h('h3', { id: 'planned-title' }, 'Planned days'),
    days.length === 0
      ? h('p', {}, 'No planned days yet: accept a recommendation on the Plan screen.')
      : h(
          'table',
          { class: 'days', id: 'planned-days-table' },
          h('caption', {}, `${days.length} planned ${days.length === 1 ? 'day' : 'days'}`),
          h('thead', {}, h('tr', {}, ['Day', 'Planned load (AU)', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, days.map((d) => h('tr', {}, h('th', { scope: 'row' }, formatDay(d.date)), h('td', {}, String(d.load)), h('td', { class: 'small' }, d.reason)))),
        ),
  );
}
