// @ts-check
import { el, fmt, table, when } from './dom.js';

/** Counts whether the API gave ids (admins) or counts (analysts). @param {unknown} v */
const count = (v) => (Array.isArray(v) ? v.length : Number(v ?? 0));

/** @param {any} r */
function durationSeconds(r) {
  const ms = Date.parse(r.endedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** The columns of the history table and of its CSV export. */
const COLUMNS = [
  { label: 'Round', num: true, value: (/** @type {any} */ r) => r.round },
  { label: 'Status', value: (/** @type {any} */ r) => r.status },
  { label: 'Reason', value: (/** @type {any} */ r) => r.reason ?? '' },
  { label: 'Started', value: (/** @type {any} */ r) => r.startedAt },
  { label: 'Duration (s)', num: true, value: (/** @type {any} */ r) => durationSeconds(r) },
  { label: 'Selected', num: true, value: (/** @type {any} */ r) => count(r.selected) },
  { label: 'Reported', num: true, value: (/** @type {any} */ r) => count(r.reported) },
  { label: 'Dropped', num: true, value: (/** @type {any} */ r) => count(r.dropped) },
  { label: 'ε (cumulative)', num: true, value: (/** @type {any} */ r) => r.privacy?.epsilon ?? null },
  { label: 'Secure aggregation', value: (/** @type {any} */ r) => (r.secureAggregation ? 'yes' : 'no') },
];

/** @param {string} task @param {any[]} rounds */
export function historyTable(task, rounds) {
  if (rounds.length === 0) return el('p', { text: `No round of ${task} has run yet.` });
  const newest = [...rounds].reverse();
  const rows = newest.map((r) =>
    COLUMNS.map((c) => {
      const v = c.value(r);
      if (c.label === 'Status') return el('span', { class: `status-${r.status}`, text: String(v) });
      if (c.label === 'Started') return when(String(v));
      if (c.label === 'Reason') return String(v || '—');
      return typeof v === 'number' ? fmt(v, 4) : v === null ? '–' : String(v);
    }),
  );
  const completed = rounds.filter((r) => r.status === 'completed').length;
  return table(`${task}: ${rounds.length} rounds, ${completed} completed, ${rounds.length - completed} abandoned or refused`, COLUMNS, rows);
}

/** @param {unknown} v */
function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The history as CSV (oldest first), the same columns as the table plus the task. @param {string} task @param {any[]} rounds */
export function historyCsv(task, rounds) {
  const header = ['task', ...COLUMNS.map((c) => c.label)];
  const lines = rounds.map((r) => [task, ...COLUMNS.map((c) => c.value(r))].map(csvCell).join(','));
  return `${[header.map(csvCell).join(','), ...lines].join('\n')}\n`;
}

/** Starts a download of `text` as a file. @param {string} name @param {string} text */
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
