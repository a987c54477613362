import { localCalendarDate } from '@huddle/shared/log';
import { formatPairingCode, safetyCode } from '@huddle/shared/coach';
import { shareActive, type CoachShare, type ShareChoices } from '../../coach/coachShare.ts';
import { addShare, shareDueSummaries, stopSharing } from '../../coach/athleteSharing.ts';
import { pairWithCoach } from '../../coach/relayClient.ts';

import { base64ToBytes } from '@huddle/shared/util';
import { clear, field, formatDay, formatTime, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import type { App } from '../../app.ts';

const CHOICES: { key: keyof ShareChoices; label: string }[] = [
  { key: 'readiness', label: 'Readiness forecast (its band, or “not enough evidence yet”)' },
  { key: 'risk', label: 'Injury-risk band' },
  { key: 'checkIn', label: 'Whether you checked in today' },
  { key: 'plan', label: 'Planned load for the coming week (from your Plan)' },
];

function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return localCalendarDate(new Date(y!, m! - 1, d! + n));
}

function shareCard(app: App, s: CoachShare, rerender: () => void, status: HTMLElement): HTMLElement {
  const today = localCalendarDate();
  const active = shareActive(s, today);
  const shared = CHOICES.filter((c) => s.share[c.key]).map((c) => c.label);
  const title = `Coach ${formatPairingCode(s.coachId).slice(0, 9)}…`;
  const state = s.revokedAt ? `Stopped on ${formatTime(s.revokedAt)}.` : active ? `Sharing until the end of ${formatDay(s.lastDay)}.` : `Ended after ${formatDay(s.lastDay)}.`;
  const actions = h('div', { class: 'actions' });
  if (active) {
    const send = h('button', { type: 'button' }, 'Send today’s summary now');
    send.addEventListener('click', () => {
      status.textContent = 'Sending…';
      void shareDueSummaries(app, true).then((o) => {
        status.textContent = o.errors.length ? o.errors.join(' ') : `Sent ${o.sent} summary${o.sent === 1 ? '' : 'ies'}, encrypted to each coach.`;
        rerender();
      });
    });
    const stop = h('button', { type: 'button', class: 'danger' }, 'Stop sharing');
    stop.addEventListener('click', () => {
      const cancel = h('button', { type: 'button' }, 'Cancel');
      const yes = h('button', { type: 'button', class: 'danger' }, 'Yes, stop sharing with this coach');
      cancel.addEventListener('click', rerender);
      yes.addEventListener('click', () => {
        status.textContent = 'Stopping…';
        stopSharing(app, s.grantId).then(
          () => {
            status.textContent = 'Stopped. This device sends this coach nothing more, and the team server deleted the summaries it held for them.';
            rerender();
          },
          (err: unknown) => {
            status.textContent = `Stopped on this device; the team server could not be told yet: ${err instanceof Error ? err.message : String(err)}`;
            rerender();
          },
        );
      });
      clear(actions, h('p', {}, 'The coach’s board will no longer get your summaries.'), cancel, yes);
      cancel.focus();
    });
    actions.append(send, stop);
  }
  return h(
    'article',
    { class: 'card coach-share', 'data-grant': s.grantId, 'aria-label': title },
    h('h3', {}, title),
    h('p', {}, `Shown to the coach as “${s.name}”. ${state}`),
    h('p', {}, 'Shared daily: ', shared.length ? shared.join('; ') : 'only your name', '.'),
    h('p', { class: 'muted' }, 'Safety code: ', h('code', { class: 'safety-code' }, safetyCode(base64ToBytes(s.coachBoxKey), base64ToBytes(s.boxPublicKey))), ' (the coach’s board shows the same code next to your name; compare them in person)'),
    h('p', { class: 'muted' }, s.lastSent ? `Last summary sent ${formatTime(s.lastSent.at)}.` : 'No summary sent yet.'),
    actions,
  );
}

/** The athlete's coaches: pair with a coach's code, choose what the daily summary holds and until when, stop sharing. */
export const coachesScreen: ScreenFactory = (app: App) => {
  const section = h('section', { 'aria-labelledby': 'coaches-title' });
  const status = h('p', { class: 'status', role: 'status', id: 'coaches-status' });
  const list = h('div', { id: 'coach-shares' });
  const rerender = () => clear(list, app.vault.coaches().length ? [...app.vault.coaches()].reverse().map((s) => shareCard(app, s, rerender, status)) : h('p', {}, 'You share with no coach.'));
  const intro = [
    h('h2', { id: 'coaches-title', tabindex: '-1' }, 'Coaches'),
    h(
      'p',
      {},
      'You may share a short daily summary with a coach: the bands you see on your Forecast, whether you checked in, and your planned load. Never your log. ',
      'It is encrypted on this device to the coach’s key; the team server passes on and stores only ciphertext, and sees only that you share with this coach, when, and how much (every summary has the same size).',
    ),
  ];
  if (!app.identity()) {
    clear(section, intro, h('p', {}, 'Join your team first: sharing uses this device’s enrollment.'));
    return { el: section };
  }
  const today = localCalendarDate();
  const code = h('input', { type: 'text', id: 'coach-code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true });
  const name = h('input', { type: 'text', id: 'coach-name', maxlength: 60, required: true, autocomplete: 'name' });
  const until = h('input', { type: 'date', id: 'coach-until', value: addDays(today, 90), min: today, max: addDays(today, 365), required: true });
  const boxes = CHOICES.map((c) => ({ key: c.key, input: h('input', { type: 'checkbox', id: `coach-share-${c.key}`, checked: true }), label: c.label }));
  const errors = h('div', { id: 'coach-errors', class: 'errors', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Share with this coach');
  const form = h(
    'form',
    { id: 'coach-form', class: 'card', 'aria-labelledby': 'coach-form-title', novalidate: true },
    h('h3', { id: 'coach-form-title' }, 'Add a coach'),
    field('Coach code', code, 'The 32-letter code on your coach’s board (groups of four).'),
    field('Your name as the coach sees it', name),
    field('Share until (last day)', until),
    h('fieldset', {}, h('legend', {}, 'What the daily summary holds'), boxes.map((b) => h('div', { class: 'check' }, b.input, h('label', { for: b.input.id }, b.label)))),
    errors,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const problems: string[] = [];
    if (!name.value.trim()) problems.push('Your name as the coach sees it: enter a name (up to 60 characters).');
    if (!until.value || until.value < today || until.value > addDays(today, 365)) problems.push('Share until: choose a day from today to a year from now.');
    if (!code.value.trim()) problems.push('Coach code: enter the code from your coach’s board.');
    clear(errors, problems.length ? h('ul', {}, problems.map((p) => h('li', {}, p))) : null);
    if (problems.length) return;
    const identity = app.identity()!;
    submit.disabled = true;
    status.textContent = 'Checking the coach’s key…';
    const share = Object.fromEntries(boxes.map((b) => [b.key, b.input.checked])) as unknown as ShareChoices;
    pairWithCoach(app.origin, identity, code.value, { name: name.value.trim(), lastDay: until.value, share })
      .then(async (s) => {
        await addShare(app, s);
        const sent = await shareDueSummaries(app, true);
        status.textContent = sent.errors.length ? sent.errors.join(' ') : 'Paired: the coach’s key matches their code. Today’s summary was sent, encrypted to the coach.';
        code.value = '';
        rerender();
      })
      .catch((err: unknown) => {
        status.textContent = '';
        clear(errors, h('p', {}, err instanceof Error ? err.message : String(err)));
      })
      .finally(() => (submit.disabled = false));
  });
  rerender();
  clear(section, intro, form, status, h('h3', {}, 'Your coaches'), list);
  return { el: section };
};
