// @ts-check
import { el, fmt } from './dom.js';

/** @param {unknown} v */
const count = (v) => (Array.isArray(v) ? v.length : Number(v ?? 0));

/**
 * "Why no round is starting", per task, with the live round's progress when one runs.
 * @param {any} s one entry of /api/console/status
 * @param {any | undefined} live the live round's progress from the event stream
 */
export function outlookCard(s, live) {
  const running = live ?? null;
  const state = running ? 'running' : s.outlook.state;
  const headingId = `outlook-${s.task}`;
  const lines = [];
  if (running) {
    const left = Math.max(0, Math.round((running.deadline - Date.now()) / 1000));
    lines.push(
      el('p', { class: 'why', text: `Round ${running.round} is running: ${running.reported} of ${running.selected} selected devices have reported${typeof running.dropped === 'number' ? `, ${running.dropped} dropped` : ''}.` }),
      el('progress', { max: Math.max(1, running.selected), value: running.reported, 'aria-label': `Updates reported in round ${running.round} of ${s.task}` }),
      el('p', { class: 'help', text: `Deadline in ${left} s.` }),
    );
  } else {
    lines.push(el('p', { class: 'why', text: s.outlook.message }));
  }
  const last = s.last;
  lines.push(
    el('p', { class: 'help', text: `${s.round} completed round${s.round === 1 ? '' : 's'}. ${s.connected} connected, ${s.enrolled} enrolled; a round needs at least ${s.minClients}.` }),
    last ? el('p', { class: 'help', text: `Last: round ${last.round} ${last.status}: ${count(last.reported)} of ${count(last.selected)} selected devices reported, ${count(last.dropped)} dropped${last.reason ? ` (${last.reason})` : ''}.` }) : el('p', { class: 'help', text: 'No round has run yet.' }),
    budgetLine(s.budget),
  );
  return el('article', { class: 'outlook', 'data-state': state, 'aria-labelledby': headingId, id: `outlook-card-${s.task}` }, el('h3', { id: headingId, text: `Task: ${s.task}` }), ...lines);
}

/** @param {any} b */
function budgetLine(b) {
  if (b.noise === 'none') return el('p', { class: 'help', text: 'Differential-privacy noise is off: no ε is spent.' });
  const spent = `ε spent ${fmt(b.epsilonSpent)} at δ ${b.delta} over ${b.charges} charged round${b.charges === 1 ? '' : 's'}`;
  if (b.epsilonBudget === null) return el('p', { class: 'help', text: `${spent}; no budget set.` });
  return el(
    'div',
    {},
    el('p', { class: b.exhausted ? 'warn' : 'help', text: `${spent} of a budget of ${fmt(b.epsilonBudget)}${b.exhausted ? ': exhausted' : `; ${fmt(b.remaining)} left`}.` }),
    el('meter', { min: 0, max: b.epsilonBudget, low: b.epsilonBudget * 0.7, high: b.epsilonBudget * 0.9, optimum: 0, value: Math.min(b.epsilonSpent, b.epsilonBudget), 'aria-label': `Privacy budget spent for ${b.task}` }),
  );
}
