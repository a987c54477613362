import { formatPairingCode, type BandOrNone } from '@huddle/shared/coach';
import { formatDay, formatTime, h } from '../../ui/dom.ts';
import type { AthleteRow, BoardModel } from './boardModel.ts';

const READINESS: Record<BandOrNone, string> = {
  green: 'Usual or better',
  amber: 'A little below usual',
  red: 'Well below usual',
  'not-enough-evidence': 'Not enough evidence yet',
  'not-shared': 'Not shared',
};
const RISK: Record<BandOrNone, string> = {
  green: 'Usual',
  amber: 'Raised',
  red: 'High',
  'not-enough-evidence': 'Not enough evidence yet',
  'not-shared': 'Not shared',
};

function badge(band: BandOrNone, labels: Record<BandOrNone, string>): HTMLElement {
  return h('span', { class: `band band-${band}`, 'data-band': band }, labels[band]);
}

function checkInText(a: AthleteRow): string {
  if (a.checkedIn === 'not-shared') return 'Not shared';
  if (a.checkedIn === 'no-summary-today') return `No summary today yet (last ${formatDay(a.latest.date)})`;
  return a.checkedIn ? 'Yes' : 'Not yet';
}

function alerts(model: BoardModel): HTMLElement {
  const items = model.athletes.flatMap((a) => a.changes.map((c) => h('li', { class: `alert band-${c.to}` }, `${a.name}: ${c.what} changed from ${(c.what === 'readiness' ? READINESS : RISK)[c.from].toLowerCase()} to ${(c.what === 'readiness' ? READINESS : RISK)[c.to].toLowerCase()}.`)));
  return h(
    'section',
    { 'aria-labelledby': 'alerts-title', id: 'alerts' },
    h('h3', { id: 'alerts-title' }, 'Changes since the previous summary'),
    items.length ? h('ul', { class: 'alerts' }, items) : h('p', {}, 'No band changed.'),
  );
}

function todayTable(model: BoardModel, today: string): HTMLElement {
  return h(
    'table',
    { id: 'team-today', class: 'team' },
    h('caption', {}, `Today, ${formatDay(today)}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Athlete'), h('th', { scope: 'col' }, 'Checked in'), h('th', { scope: 'col' }, 'Readiness'), h('th', { scope: 'col' }, 'Injury risk'))),
    h(
      'tbody',
      {},
      model.athletes.map((a) =>
        h('tr', { 'data-grant': a.grantId }, h('th', { scope: 'row' }, a.name), h('td', { class: 'checkin' }, checkInText(a)), h('td', { class: 'readiness' }, badge(a.readiness, READINESS)), h('td', { class: 'risk' }, badge(a.risk, RISK))),
      ),
    ),
  );
}

function athleteCard(a: AthleteRow): HTMLElement {
  const titleId = `athlete-${a.grantId}`;
  const week = a.plannedWeek;
  return h(
    'article',
    { class: 'card athlete', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, a.name),
    h('p', { class: 'muted' }, `Summary of ${formatDay(a.latest.date)}, sent ${formatTime(a.latest.sentAt)}. Shared until the end of ${formatDay(a.latest.sharingEndsOn)}.`),
    a.latest.readiness?.kind === 'forecast' ? h('p', {}, `Readiness forecast for ${formatDay(a.latest.readiness.forDate)}: ${a.latest.readiness.value.toFixed(1)} / 10.`) : null,
    week === undefined
      ? h('p', {}, 'Planned week: not shared.')
      : week.length === 0
        ? h('p', {}, 'Planned week: no accepted plan.')
        : h(
            'table',
            { class: 'week' },
            h('caption', {}, `${a.name}’s planned week`),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Planned load (AU)'))),
            h('tbody', {}, week.map((d) => h('tr', {}, h('th', { scope: 'row' }, formatDay(d.date)), h('td', {}, d.load === 0 ? 'Rest' : String(d.load))))),
          ),
    h('p', { class: 'muted' }, 'Safety code: ', h('code', { class: 'safety-code' }, a.safetyCode), ' (the athlete’s app shows the same code for you)'),
  );
}

/** The team board: who checked in, readiness and risk bands, band changes, and each athlete's planned week. */
export function boardView(model: BoardModel, coachId: string, today: string): HTMLElement[] {
  const pairing = h(
    'section',
    { class: 'card pairing', 'aria-labelledby': 'pairing-title' },
    h('h3', { id: 'pairing-title' }, 'Your coach code'),
    h('p', { class: 'code-big' }, h('code', { id: 'coach-code' }, formatPairingCode(coachId))),
    h('p', { class: 'muted' }, 'Athletes type this code on their Coaches screen to share with you. It is the fingerprint of the key made on this device, so their app refuses any other key the team server might hand over.'),
  );
  const notes: HTMLElement[] = [
    model.waiting ? h('p', { id: 'waiting' }, `${model.waiting} athlete${model.waiting === 1 ? '' : 's'} paired with you; no summary yet.`) : null,
    model.refused ? h('p', { class: 'warn', role: 'alert' }, `${model.refused} summary${model.refused === 1 ? ' was' : 'ies were'} refused: not readable with the athlete’s key (altered on the way, or not from them).`) : null,
  ].filter((n): n is HTMLParagraphElement => n !== null);
  if (model.athletes.length === 0) return [pairing, ...notes, h('p', { id: 'no-athletes' }, 'No athlete shares a summary with you yet.')];
  return [pairing, ...notes, alerts(model), todayTable(model, today), h('h3', {}, 'Planned weeks'), ...model.athletes.map(athleteCard)];
}
