import { formatDailyLogCsv, localCalendarDate, type DailyLogRow, type FieldError } from '@huddle/shared/log';
import { checkInToRow, previewCsv, rowsToImport, sessionsLoad, type CheckInInput, type CsvImportPreview, type SessionInput } from '../../log/checkin.ts';
import { clear, field, formatDay, h, uniqueId } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import { quickCheckin } from './quickCheckin.ts';
import { reportTable } from '../importReport.ts';
import { wearableImport } from './wearableImport.ts';
import { plannedDaysSection } from './plan.ts';
import { injuryFields, injurySummary } from './injuryFields.ts';
import { reminderCard } from './reminderCard.ts';

/** 1-5 answers; 5 is the best end of every item (as in the daily-log format). */
const LIKERT: { key: keyof CheckInInput & string; column: string; label: string; low: string; high: string }[] = [
  { key: 'fatigue', column: 'fatigue', label: 'Fatigue', low: 'very tired', high: 'very fresh' },
  { key: 'mood', column: 'mood', label: 'Mood', low: 'very low', high: 'very good' },
  { key: 'sleepQuality', column: 'sleep_quality', label: 'Sleep quality', low: 'very poor', high: 'very good' },
  { key: 'soreness', column: 'soreness', label: 'Muscle soreness', low: 'very sore', high: 'not sore' },
  { key: 'stress', column: 'stress', label: 'Stress', low: 'very stressed', high: 'very relaxed' },
];

const FIELD_LABELS: Record<string, string> = {
  date: 'Day',
  srpe_load: 'Training load',
  readiness: 'Readiness',
  fatigue: 'Fatigue',
  mood: 'Mood',
  sleep_quality: 'Sleep quality',
  soreness: 'Muscle soreness',
  stress: 'Stress',
  sleep_hours: 'Hours slept',
  injury: 'Injury',
  injury_ongoing: 'Still injured',
  injury_body_part: 'Where the injury is',
  injury_severity: 'How bad the injury is',
  hrv_rmssd_ms: 'HRV',
  resting_hr_bpm: 'Resting heart rate',
};

function fieldLabel(field: string): string {
  const session = /^session_(\d+)_(rpe|minutes)$/.exec(field);
  if (session) return `Session ${session[1]} ${session[2] === 'rpe' ? 'effort' : 'minutes'}`;
  return FIELD_LABELS[field] ?? field;
}

function numberInput(id: string, min: number, max: number, step: number | 'any', extra: Record<string, string> = {}): HTMLInputElement {
  return h('input', { id, name: id, type: 'number', inputmode: 'decimal', min, max, step, ...extra });
}

/** The daily-log format as a file to fill in: the header and one example day, written by the same formatter as exports. */
function downloadTemplate(): void {
  const example: DailyLogRow = { athleteId: 'me', date: localCalendarDate(), srpeLoad: 420, readiness: 7, fatigue: 3, mood: 4, sleepQuality: 4, soreness: 3, stress: 4, sleepHours: 7.5, injury: 0, hrvRmssdMs: 62, restingHrBpm: 52, sex: null, sport: null };
  const url = URL.createObjectURL(new Blob([formatDailyLogCsv([example])], { type: 'text/csv' }));
  const a = h('a', { href: url, download: 'huddle-daily-log-template.csv' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const logScreen: ScreenFactory = (app) => {
  /* ---------------- check-in form ---------------- */
  const date = h('input', { id: 'checkin-date', name: 'date', type: 'date', required: true, value: localCalendarDate(), max: localCalendarDate() });
  const sessionList = h('div', { class: 'sessions' });
  const sessions: { rpe: HTMLInputElement; minutes: HTMLInputElement; row: HTMLElement }[] = [];
  const restDay = h('input', { type: 'checkbox', id: 'rest-day', name: 'restDay' });
  const loadOut = h('output', { id: 'load-total', for: 'rest-day', 'aria-live': 'polite' });
  const savedLoadHint = h('p', { class: 'hint', id: 'saved-load' });

  const readSessions = (): SessionInput[] => sessions.map((s) => ({ rpe: s.rpe.value, minutes: s.minutes.value }));
  const updateLoad = () => {
    if (restDay.checked) {
      loadOut.textContent = 'Load today: 0 AU (rest day)';
      return;
    }
    const { load } = sessionsLoad(readSessions());
    loadOut.textContent = load === null ? 'Load today: no session entered' : `Load today: ${Math.round(load)} AU (effort × minutes, summed)`;
  };
  const renumber = () =>
    sessions.forEach((s, i) => {
      const labels = s.row.querySelectorAll('label');
      labels[0]!.textContent = `Session ${i + 1} effort (RPE 0–10)`;
      labels[1]!.textContent = `Session ${i + 1} minutes`;
      s.row.querySelector('button')!.textContent = `Remove session ${i + 1}`;
    });
  const addSession = (focus: boolean) => {
    const n = sessions.length + 1;
    const rpe = numberInput(uniqueId('session-rpe'), 0, 10, 0.5);
    const minutes = numberInput(uniqueId('session-minutes'), 0, 1440, 1, { inputmode: 'numeric' });
    rpe.classList.add('session-rpe');
    minutes.classList.add('session-minutes');
    const remove = h('button', { type: 'button', class: 'link' }, `Remove session ${n}`);
    const row = h('div', { class: 'session' }, field(`Session ${n} effort (RPE 0–10)`, rpe), field(`Session ${n} minutes`, minutes), remove);
    const entry = { rpe, minutes, row };
    remove.addEventListener('click', () => {
      sessions.splice(sessions.indexOf(entry), 1);
      row.remove();
      renumber();
      updateLoad();
      addButton.focus();
    });
    rpe.addEventListener('input', updateLoad);
    minutes.addEventListener('input', updateLoad);
    sessions.push(entry);
    sessionList.append(row);
    if (focus) rpe.focus();
  };
  const addButton = h('button', { type: 'button', onclick: () => addSession(true) }, 'Add a session');
  restDay.addEventListener('change', () => {
    sessionList.hidden = restDay.checked;
    addButton.hidden = restDay.checked;
    updateLoad();
  });
  addSession(false);

  const readiness = numberInput('readiness', 0, 10, 0.5);
  const likert = new Map<string, HTMLSelectElement>();
  const likertFields = LIKERT.map((item) => {
    const select = h(
      'select',
      { id: item.column.replace('_', '-'), name: item.column },
      h('option', { value: '' }, '— not answered —'),
      [1, 2, 3, 4, 5].map((v) => h('option', { value: String(v) }, v === 1 ? `1 – ${item.low}` : v === 5 ? `5 – ${item.high}` : String(v))),
    );
    likert.set(item.key, select);
    return field(`${item.label} (1 ${item.low} – 5 ${item.high})`, select);
  });
  const sleepHours = numberInput('sleep-hours', 0, 24, 0.25);
  const injury = injuryFields();
  const hrv = numberInput('hrv', 1, 300, 'any');
  const restingHr = numberInput('resting-hr', 20, 150, 'any');
  const errors = h('div', { id: 'checkin-errors', class: 'errors', role: 'alert' });
  const saved = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'checkin-status' });
  const controls: Record<string, HTMLElement> = {
    date,
    readiness,
    sleep_hours: sleepHours,
    hrv_rmssd_ms: hrv,
    resting_hr_bpm: restingHr,
    ...injury.controls,
    ...Object.fromEntries(LIKERT.map((i) => [i.column, likert.get(i.key)!])),
  };

  const fillFrom = (row: DailyLogRow | null) => {
    readiness.value = row?.readiness?.toString() ?? '';
    for (const item of LIKERT) likert.get(item.key)!.value = row ? String(row[item.key as 'fatigue'] ?? '') : '';
    sleepHours.value = row?.sleepHours?.toString() ?? '';
    injury.fill(row);
    hrv.value = row?.hrvRmssdMs?.toString() ?? '';
    restingHr.value = row?.restingHrBpm?.toString() ?? '';
    restDay.checked = row?.srpeLoad === 0;
    restDay.dispatchEvent(new Event('change'));
    savedLoadHint.textContent =
      row && row.srpeLoad !== null && row.srpeLoad > 0 ? `Saved load for this day: ${Math.round(row.srpeLoad)} AU. Leave the sessions empty to keep it, or enter them to replace it.` : '';
  };
  date.addEventListener('change', () => fillFrom(app.vault.row(date.value)));
  fillFrom(app.vault.row(date.value));

  const showErrors = (list: FieldError[]) => {
    for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
    for (const s of sessions) {
      s.rpe.removeAttribute('aria-invalid');
      s.minutes.removeAttribute('aria-invalid');
    }
    if (list.length === 0) {
      clear(errors);
      return;
    }
    for (const e of list) {
      const session = /^session_(\d+)_(rpe|minutes)$/.exec(e.field);
      const el = session ? sessions[Number(session[1]) - 1]?.[session[2] === 'rpe' ? 'rpe' : 'minutes'] : controls[e.field];
      el?.setAttribute('aria-invalid', 'true');
    }
    clear(errors, h('p', {}, 'Please check:'), h('ul', {}, list.map((e) => h('li', {}, `${fieldLabel(e.field)}: ${e.reason}`))));
  };

  const form = h(
    'form',
    { id: 'checkin-form', novalidate: true },
    field('Day', date),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Training'),
      h('div', { class: 'check' }, restDay, h('label', { for: 'rest-day' }, 'Rest day (no training)')),
      sessionList,
      addButton,
      h('p', {}, loadOut),
      savedLoadHint,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'How you feel this morning'),
      field('Readiness to train (0–10)', readiness, '0 = not at all ready, 10 = completely ready.'),
      ...likertFields,
      field('Hours slept', sleepHours),
    ),
    injury.el,
    h(
      'details',
      {},
      h('summary', {}, 'Heart-rate data (optional)'),
      field('Heart-rate variability, RMSSD (ms)', hrv, 'From a morning measurement, 1–300 ms.'),
      field('Resting heart rate (bpm)', restingHr),
    ),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save check-in')),
    saved,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saved.textContent = '';
    const existing = app.vault.row(date.value);
    const input: CheckInInput = {
      date: date.value,
      sessions: readSessions(),
      readiness: readiness.value,
      fatigue: likert.get('fatigue')!.value,
      mood: likert.get('mood')!.value,
      sleepQuality: likert.get('sleepQuality')!.value,
      soreness: likert.get('soreness')!.value,
      stress: likert.get('stress')!.value,
      sleepHours: sleepHours.value,
      injury: injury.read().isNew,
      injuryDetails: injury.read(),
      hrv: hrv.value,
      restingHr: restingHr.value,
    };
    // Typed-in numbers the browser could not parse arrive as '' with badInput: report them instead of dropping them.
    const unreadable: FieldError[] = [];
    for (const [name, el] of Object.entries(controls)) {
      if (el instanceof HTMLInputElement && el.type === 'number' && el.validity.badInput) unreadable.push({ field: name, reason: 'not a number' });
    }
    const result = checkInToRow(input, restDay.checked);
    if (!result.ok || unreadable.length > 0) {
      showErrors([...unreadable, ...(result.ok ? [] : result.errors)]);
      (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return;
    }
    showErrors([]);
    const row = result.row;
    if (row.srpeLoad === null && existing?.srpeLoad != null) row.srpeLoad = existing.srpeLoad;
    app.vault
      .upsertRows([row])
      .then(({ replaced }) => {
        saved.textContent = `${replaced ? 'Updated' : 'Saved'} ${formatDay(row.date)}. It is stored encrypted on this device only.`;
        app.logChanged();
        renderRecent();
      })
      .catch(() => (saved.textContent = 'Could not save. Try again.'));
  });

  /* ---------------- CSV import ---------------- */
  const file = h('input', { id: 'csv-file', name: 'csv', type: 'file', accept: '.csv,text/csv' });
  const report = h('div', { id: 'import-report', 'aria-live': 'polite' });
  let preview: CsvImportPreview | null = null;

  const showPreview = (p: CsvImportPreview, name: string) => {
    const athletes = [...p.athletes.entries()];
    const choose =
      athletes.length > 1
        ? h(
            'select',
            { id: 'import-athlete', name: 'athlete' },
            athletes.map(([id, n]) => h('option', { value: id }, `${id} (${n} days)`)),
          )
        : null;
    const importButton = h('button', { type: 'button', class: 'primary', id: 'import-confirm' }, athletes.length > 1 ? 'Import the chosen athlete’s days' : `Import ${p.rows.length} days`);
    const result = h('p', { class: 'status', role: 'status', id: 'import-status' });
    importButton.disabled = p.rows.length === 0;
    importButton.addEventListener('click', () => {
      const rows = rowsToImport(p, choose ? choose.value : null);
      importButton.disabled = true;
      app.vault
        .upsertRows(rows)
        .then(({ added, replaced }) => {
          result.textContent = `Imported ${rows.length} days (${added} new, ${replaced} replaced). ${p.errors.length > 0 ? 'The rows listed above were not imported.' : ''}`;
          app.logChanged();
          renderRecent();
        })
        .catch(() => {
          result.textContent = 'Import failed. Nothing was changed.';
          importButton.disabled = false;
        });
    });
    const refused = new Set(p.errors.map((e) => e.row)).size;
    clear(
      report,
      h('p', { id: 'import-summary' }, `${name}: ${p.rows.length} valid ${p.rows.length === 1 ? 'row' : 'rows'}, ${refused} ${refused === 1 ? 'row' : 'rows'} with problems${p.warnings.length ? `, ${p.warnings.length} warnings` : ''}.`),
      p.errors.length > 0 ? reportTable(p.errors, 'Rows that will not be imported', 'import-errors') : null,
      p.warnings.length > 0 ? reportTable(p.warnings, 'Warnings (these rows are still imported)', 'import-warnings') : null,
      choose ? field('This file has several athletes. Which one is you?', choose) : null,
      h('div', { class: 'actions' }, importButton),
      result,
    );
  };

  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (!f) return;
    f.text()
      .then((text) => {
        preview = previewCsv(text);
        showPreview(preview, f.name);
      })
      .catch(() => clear(report, h('p', { class: 'error' }, 'That file could not be read.')));
  });

  /* ---------------- recent days ---------------- */
  const recent = h('div', { id: 'recent-days' });
  const undoBar = h('div', { id: 'undo', class: 'undo', role: 'status', 'aria-live': 'polite' });
  const deleteDay = (r: DailyLogRow) => {
    void app.vault.deleteRow(r.date).then(() => {
      app.logChanged();
      renderRecent();
      const undo = h('button', { type: 'button', class: 'link', id: 'undo-delete' }, `Undo`);
      undo.addEventListener('click', () => {
        void app.vault.upsertRows([r]).then(() => {
          app.logChanged();
          renderRecent();
          clear(undoBar, `${formatDay(r.date)} is back in your log.`);
          (recent.querySelector(`[data-date="${r.date}"] button`) as HTMLElement | null)?.focus();
        });
      });
      clear(undoBar, `Deleted ${formatDay(r.date)}. `, undo);
      undo.focus();
    });
  };
  const renderRecent = () => {
    const rows = app.vault.rows();
    const last = rows.slice(-14).reverse();
    clear(
      recent,
      h('p', {}, `${rows.length} ${rows.length === 1 ? 'day' : 'days'} logged on this device${rows.length ? `, from ${formatDay(rows[0]!.date)} to ${formatDay(rows[rows.length - 1]!.date)}` : ''}.`),
      last.length
        ? h(
            'table',
            { class: 'days' },
            h('caption', {}, 'Latest days'),
            h('thead', {}, h('tr', {}, ['Day', 'Load (AU)', 'Readiness', 'Sleep (h)', 'Injury', ''].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              last.map((r) =>
                h(
                  'tr',
                  { 'data-date': r.date },
                  h('th', { scope: 'row' }, formatDay(r.date)),
                  h('td', {}, r.srpeLoad === null ? '–' : String(Math.round(r.srpeLoad))),
                  h('td', {}, r.readiness === null ? '–' : String(r.readiness)),
                  h('td', {}, r.sleepHours === null ? '–' : String(r.sleepHours)),
                  h('td', {}, injurySummary(r)),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'link',
                        'aria-label': `Delete ${formatDay(r.date)}`,
                        onclick: () => deleteDay(r),
                      },
                      'Delete',
                    ),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  };
  renderRecent();

  return {
    el: h(
      'section',
      { 'aria-labelledby': 'log-title' },
      h('h2', { id: 'log-title', tabindex: '-1' }, 'Daily check-in'),
      h('p', { class: 'muted' }, 'Everything you enter stays on this device, encrypted.'),
      quickCheckin(app, () => renderRecent()),
      reminderCard(app),
      h('details', { class: 'card full-checkin', id: 'full-checkin' }, h('summary', {}, 'Full check-in: sessions, other days, heart rate, injury'), form),
      h(
        'section',
        { 'aria-labelledby': 'import-title', class: 'card' },
        h('h3', { id: 'import-title' }, 'Import from a file'),
        h('p', {}, 'A CSV in the daily-log format (athlete_id, date, srpe_load, readiness, fatigue, mood, sleep_quality, soreness, stress, sleep_hours, injury, and optionally hrv_rmssd_ms, resting_hr_bpm, injury_body_part, injury_severity, injury_ongoing). The file is read on this device; nothing is uploaded.'),
        h('p', {}, h('button', { type: 'button', class: 'link', id: 'csv-template', onclick: downloadTemplate }, 'Download a CSV template'), ' (the columns and one example day).'),
        field('CSV file', file),
        report,
      ),
      wearableImport(app, () => renderRecent()),
      h('section', { 'aria-labelledby': 'recent-title' }, h('h3', { id: 'recent-title' }, 'Your log'), undoBar, recent),
      plannedDaysSection(app),
    ),
  };
};
