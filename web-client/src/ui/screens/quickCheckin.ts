import { localCalendarDate, type DailyLogRow } from '@huddle/shared/log';
import type { App } from '../../app.ts';
import { checkInToRow, type CheckInInput } from '../../log/checkin.ts';
import { clear, formatDay, h } from '../dom.ts';

/** 1-5 tap scales; 5 is the best end of every item (as in the daily-log format). */
const SCALES: { key: 'fatigue' | 'mood' | 'sleepQuality' | 'soreness' | 'stress'; label: string; low: string; high: string }[] = [
  { key: 'fatigue', label: 'Fatigue', low: 'very tired', high: 'very fresh' },
  { key: 'mood', label: 'Mood', low: 'very low', high: 'very good' },
  { key: 'sleepQuality', label: 'Sleep quality', low: 'very poor', high: 'very good' },
  { key: 'soreness', label: 'Soreness', low: 'very sore', high: 'not sore' },
  { key: 'stress', label: 'Stress', low: 'very stressed', high: 'very relaxed' },
];

const SLEEP_CHOICES: [string, number][] = [['5 h or less', 5], ['6 h', 6], ['7 h', 7], ['8 h', 8], ['9 h or more', 9]];

/** Effort (CR10) and duration chips: load = effort × minutes, the same sRPE as the full form. */
const EFFORT_CHOICES: [string, number][] = [['Rest', 0], ['Easy', 3], ['Moderate', 5], ['Hard', 7], ['Very hard', 9]];
const MINUTE_CHOICES = [30, 45, 60, 90, 120];

function yesterdayOf(date: string): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() - 1);
  return localCalendarDate(d);
}

interface TapScale {
  el: HTMLFieldSetElement;
  value(): string;
  set(v: number | null): void;
}

/** A row of radio buttons drawn as large tap targets: one tap answers, the keyboard works as with any radio group. */
function tapScale(name: string, legend: string, choices: [string, number][], hint?: string): TapScale {
  const inputs = choices.map(([label, v]) => {
    const input = h('input', { type: 'radio', name, id: `${name}-${v}`, value: String(v), class: 'tap-input' });
    return { input, label: h('label', { for: input.id, class: 'tap' }, label) };
  });
  const el = h('fieldset', { class: 'tap-scale', id: name }, h('legend', {}, legend, hint ? h('span', { class: 'hint' }, ` ${hint}`) : null), h('div', { class: 'taps' }, inputs.flatMap((i) => [i.input, i.label])));
  return {
    el,
    value: () => inputs.find((i) => i.input.checked)?.input.value ?? '',
    set: (v) => inputs.forEach((i) => (i.input.checked = v !== null && Number(i.input.value) === v)),
  };
}

/**
 * The 30-second check-in: a readiness slider and tap scales, "same as yesterday" to start from yesterday's answers, and
 * one Save. Unanswered items stay empty; a day's saved training load is kept unless a session is entered here.
 */
export function quickCheckin(app: App, onSaved: () => void): HTMLElement {
  const today = localCalendarDate();
  const readiness = h('input', { type: 'range', id: 'quick-readiness', min: 0, max: 10, step: 0.5, value: 5, 'aria-describedby': 'quick-readiness-value' });
  const readinessOut = h('output', { id: 'quick-readiness-value', for: 'quick-readiness' }, 'not answered yet');
  let readinessTouched = false;
  const touchReadiness = (v: number | null) => {
    readinessTouched = v !== null;
    if (v !== null) readiness.value = String(v);
    readinessOut.textContent = v === null ? 'not answered yet' : `${v} of 10`;
  };
  readiness.addEventListener('input', () => touchReadiness(Number(readiness.value)));

  const scales = new Map(SCALES.map((s) => [s.key, tapScale(`quick-${s.key}`, s.label, [1, 2, 3, 4, 5].map((v) => [v === 1 ? `1 ${s.low}` : v === 5 ? `5 ${s.high}` : String(v), v]))]));
  const sleep = tapScale('quick-sleep', 'Hours slept', SLEEP_CHOICES);
  const effort = tapScale('quick-effort', 'Training today', EFFORT_CHOICES, '(optional)');
  const minutes = tapScale('quick-minutes', 'Minutes trained', MINUTE_CHOICES.map((m) => [`${m}`, m]), '(optional)');
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'quick-status' });
  const errors = h('div', { id: 'quick-errors', class: 'errors', role: 'alert' });

  const fill = (row: DailyLogRow) => {
    touchReadiness(row.readiness);
    for (const s of SCALES) scales.get(s.key)!.set(row[s.key]);
    sleep.set(row.sleepHours === null ? null : Math.min(9, Math.max(5, Math.round(row.sleepHours))));
  };
  const same = h('button', { type: 'button', id: 'same-as-yesterday' }, 'Same as yesterday');
  same.addEventListener('click', () => {
    const yesterday = app.vault.row(yesterdayOf(today));
    if (!yesterday) {
      status.textContent = 'Nothing logged yesterday to copy: tap your answers below.';
      return;
    }
    fill(yesterday);
    status.textContent = `Filled in from ${formatDay(yesterday.date)}: change what is different, then save.`;
  });
  const saved = app.vault.row(today);
  if (saved) fill(saved);

  const save = h('button', { type: 'submit', class: 'primary', id: 'quick-save' }, 'Save check-in');
  const form = h(
    'form',
    { id: 'quick-form', novalidate: true, 'aria-labelledby': 'quick-title' },
    h('div', { class: 'title-row' }, h('h3', { id: 'quick-title' }, `Quick check-in · ${formatDay(today)}`), same),
    h('div', { class: 'field' }, h('label', { for: 'quick-readiness' }, 'Readiness to train (0 not at all – 10 completely)'), readiness, h('p', { class: 'hint' }, readinessOut)),
    [...scales.values()].map((s) => s.el),
    sleep.el,
    h('details', { class: 'quick-training' }, h('summary', {}, 'Training (optional)'), effort.el, minutes.el),
    errors,
    h('div', { class: 'actions' }, save),
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const existing = app.vault.row(today);
    const effortValue = effort.value();
    const minutesValue = minutes.value();
    const input: CheckInInput = {
      date: today,
      sessions: effortValue !== '' && effortValue !== '0' && minutesValue !== '' ? [{ rpe: effortValue, minutes: minutesValue }] : [],
      readiness: readinessTouched ? readiness.value : '',
      fatigue: scales.get('fatigue')!.value(),
      mood: scales.get('mood')!.value(),
      sleepQuality: scales.get('sleepQuality')!.value(),
      soreness: scales.get('soreness')!.value(),
      stress: scales.get('stress')!.value(),
      sleepHours: sleep.value(),
      injury: false,
      hrv: existing?.hrvRmssdMs?.toString() ?? '',
      restingHr: existing?.restingHrBpm?.toString() ?? '',
    };
    const result = checkInToRow(input, effortValue === '0');
    if (!result.ok) {
      clear(errors, h('p', {}, 'Please check:'), h('ul', {}, result.errors.map((e) => h('li', {}, `${e.field}: ${e.reason}`))));
      return;
    }
    clear(errors);
    const row = result.row;
    if (row.srpeLoad === null && existing?.srpeLoad != null) row.srpeLoad = existing.srpeLoad;
    if (existing?.injury === 1) row.injury = 1;
    // The quick check-in asks nothing about injuries: keep what the full check-in recorded for the day.
    for (const k of ['injuryBodyPart', 'injurySeverity', 'injuryOngoing'] as const) if (existing?.[k] != null) Object.assign(row, { [k]: existing[k] });
    app.vault
      .upsertRows([row])
      .then(({ replaced }) => {
        status.textContent = `${replaced ? 'Updated' : 'Saved'} ${formatDay(row.date)}. It is stored encrypted on this device only.`;
        app.logChanged();
        onSaved();
      })
      .catch(() => (status.textContent = 'Could not save. Try again.'));
  });
  return h('section', { class: 'card quick', 'aria-labelledby': 'quick-title' }, form);
}
