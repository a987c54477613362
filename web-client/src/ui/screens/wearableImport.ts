import type { WearableImport } from '@huddle/shared/import';
import type { DailyLogRow } from '@huddle/shared/log';
import type { App } from '../../app.ts';
import { LOCAL_ATHLETE_ID } from '../../storage/vault.ts';
import { clear, field, formatDay, h } from '../dom.ts';
import { reportTable } from '../importReport.ts';

/** Apple Health exports reach gigabytes: read them as a stream of text chunks, never whole. */
async function readAppleHealth(file: File): Promise<WearableImport> {
  const { AppleHealthReader } = await import('@huddle/shared/import');
  const reader = new AppleHealthReader();
  const chunks = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await chunks.read();
    if (done) break;
    reader.write(value);
  }
  return reader.finish();
}

/** Fitbit's HRV summary CSV starts with these columns; any other CSV is read as Oura's export. */
const FITBIT_HRV_CSV = /^\uFEFF?timestamp\s*,\s*rmssd/;

async function readWearableFiles(files: File[]): Promise<WearableImport> {
  // The parsers (Garmin's FIT profile is large) load only when a file is chosen; the service worker keeps them offline.
  const parsers = await import('@huddle/shared/import');
  const [first] = files;
  if (files.length === 1 && first && /\.fit$/i.test(first.name)) return parsers.parseFitWellness(new Uint8Array(await first.arrayBuffer()));
  if (files.length === 1 && first && /\.xml$/i.test(first.name)) return readAppleHealth(first);
  const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
  if (texts.length === 1 && /\.csv$/i.test(texts[0]!.name) && !FITBIT_HRV_CSV.test(texts[0]!.text)) return parsers.parseOuraCsv(texts[0]!.text);
  if (texts.length > 0 && texts.every((t) => /\.(json|csv)$/i.test(t.name))) return parsers.parseFitbitTakeout(texts);
  return { days: [], errors: [{ row: 1, field: '(file)', reason: 'choose a Garmin .fit file, Apple Health’s export.xml, Fitbit Takeout .json files or Oura’s .csv export' }], warnings: [] };
}

const EMPTY: Omit<DailyLogRow, 'date'> = {
  athleteId: LOCAL_ATHLETE_ID,
  srpeLoad: null,
  readiness: null,
  fatigue: null,
  mood: null,
  sleepQuality: null,
  soreness: null,
  stress: null,
  sleepHours: null,
  injury: null,
  hrvRmssdMs: null,
  restingHrBpm: null,
  sex: null,
  sport: null,
};

/** Adds the measured values to each day, keeping everything the athlete entered; days not yet logged are created. */
function mergeDays(app: App, result: WearableImport): DailyLogRow[] {
  return result.days.map((d) => {
    const row = { ...(app.vault.row(d.date) ?? { ...EMPTY, date: d.date }) };
    if (d.restingHrBpm !== null) row.restingHrBpm = d.restingHrBpm;
    if (d.hrvRmssdMs !== null) row.hrvRmssdMs = d.hrvRmssdMs;
    if (d.sleepHours !== null) row.sleepHours = d.sleepHours;
    return row;
  });
}

/** Resting heart rate, HRV and sleep from a watch or ring file, read on this device with the same report as the CSV import. */
export function wearableImport(app: App, onImported: () => void): HTMLElement {
  const file = h('input', { id: 'wearable-file', name: 'wearable', type: 'file', multiple: true, accept: '.fit,.xml,.json,.csv,application/xml,text/xml,application/json,text/csv' });
  const report = h('div', { id: 'wearable-report', 'aria-live': 'polite' });
  file.addEventListener('change', () => {
    const chosen = [...(file.files ?? [])];
    if (chosen.length === 0) return;
    const f = { name: chosen.length === 1 ? chosen[0]!.name : `${chosen.length} files` };
    clear(report, h('p', {}, `Reading ${f.name} on this device…`));
    readWearableFiles(chosen)
      .then((result) => {
        // Record numbers restart in each file: with several files, every reported problem counts.
        const refused = chosen.length > 1 ? result.errors.length : new Set(result.errors.map((e) => e.row)).size;
        const button = h('button', { type: 'button', class: 'primary', id: 'wearable-confirm', disabled: result.days.length === 0 }, `Add ${result.days.length} days to my log`);
        const status = h('p', { class: 'status', role: 'status', id: 'wearable-status' });
        button.addEventListener('click', () => {
          button.disabled = true;
          const rows = mergeDays(app, result);
          app.vault
            .upsertRows(rows)
            .then(({ added, replaced }) => {
              status.textContent = `Added measurements to ${rows.length} days (${added} new, ${replaced} updated). Your check-in answers were kept.`;
              app.logChanged();
              onImported();
            })
            .catch(() => {
              status.textContent = 'Import failed. Nothing was changed.';
              button.disabled = false;
            });
        });
        const span = result.days.length ? ` from ${formatDay(result.days[0]!.date)} to ${formatDay(result.days.at(-1)!.date)}` : '';
        clear(
          report,
          h('p', { id: 'wearable-summary' }, `${f.name}: ${result.days.length} ${result.days.length === 1 ? 'day' : 'days'} with measurements${span}, ${refused} ${refused === 1 ? 'record' : 'records'} with problems${result.warnings.length ? `, ${result.warnings.length} ${result.warnings.length === 1 ? 'warning' : 'warnings'}` : ''}.`),
          result.errors.length ? reportTable(result.errors, 'Records that will not be imported', 'wearable-errors') : null,
          result.warnings.length ? reportTable(result.warnings, 'Warnings', 'wearable-warnings') : null,
          h('div', { class: 'actions' }, button),
          status,
        );
      })
      .catch(() => clear(report, h('p', { class: 'error' }, 'That file could not be read.')));
  });
  return h(
    'section',
    { 'aria-labelledby': 'wearable-title', class: 'card' },
    h('h3', { id: 'wearable-title' }, 'Import from a watch or ring'),
    h('p', {}, 'Resting heart rate, heart-rate variability (RMSSD) and hours asleep, from a Garmin .fit file, Apple Health’s export.xml, Fitbit files from Google Takeout (resting_heart_rate, sleep and HRV summary; choose several at once) or Oura’s CSV export. The files are read on this device; nothing is uploaded. Your check-in answers are kept.'),
    field('Watch or ring file', file),
    report,
  );
}
