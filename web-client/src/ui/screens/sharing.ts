import type { OutboxEntry } from '../../engine/messages.ts';
import { OUTBOX_LIMIT } from '../../storage/vault.ts';
import { TASK_LABELS } from '../../types.ts';
import { clear, formatTime, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import { connectionText } from '../status.ts';
import '../vault/vault.css';

function outboxItem(e: OutboxEntry): HTMLElement {
  return h(
    'li',
    { class: 'outbox-entry', 'data-type': e.type },
    h('p', { class: 'plain' }, h('time', { datetime: e.at }, formatTime(e.at)), ' · ', e.plain ?? e.summary),
    h(
      'details',
      {},
      h('summary', {}, 'Technical details'),
      h('p', {}, h('strong', {}, e.summary), ` (${e.bytes.toLocaleString()} bytes)`),
      e.details.length ? h('dl', {}, e.details.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
    ),
  );
}

export const sharingScreen: ScreenFactory = (app) => {
  const state = h('p', { id: 'sharing-state' });
  const last = h('p', { id: 'last-contribution', role: 'status', 'aria-live': 'polite' });
  const recent = h('ul', { id: 'recent-contributions' });
  const outbox = h('ol', { id: 'outbox', class: 'outbox' });

  const render = () => {
    const identity = app.identity();
    const tasks = app.activeTasks();
    state.textContent = !identity
      ? 'This device has not joined a team: nothing is shared.'
      : tasks.length === 0
        ? 'You have not opted in to any task: nothing is shared.'
        : `${connectionText(app)}. Helping train: ${tasks.map((t) => TASK_LABELS[t].toLowerCase()).join(' and ')}.`;
    const p = app.participationRecord;
    last.textContent = p.last
      ? `Last contribution: round ${p.last.round} of the ${TASK_LABELS[p.last.task].toLowerCase()} model (${p.last.roundId}), ${formatTime(p.last.at)}.`
      : 'No contribution yet. Your device contributes when the team server runs a round while you are online.';
    clear(
      recent,
      p.recent.slice(0, 10).map((c) => h('li', {}, `${formatTime(c.at)}: ${TASK_LABELS[c.task]} round ${c.round}`)),
    );
    clear(outbox, app.outbox.length ? app.outbox.map(outboxItem) : h('li', { class: 'muted' }, 'Nothing sent yet.'));
  };
  const off = app.on((e) => {
    if (e.type === 'connection' || e.type === 'outbox' || e.type === 'participation' || e.type === 'settings' || e.type === 'identity') render();
  });
  render();
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'sharing-title' },
      h('h2', { id: 'sharing-title', tabindex: '-1' }, 'Taking part'),
      state,
      h('p', {}, h('a', { href: '#/consent' }, 'Change what you share')),
      last,
      h('details', {}, h('summary', {}, 'Recent contributions'), recent),
      h(
        'section',
        { 'aria-labelledby': 'outbox-title' },
        h('h3', { id: 'outbox-title' }, 'Sent from this device'),
        h('p', { class: 'muted' }, `The last ${OUTBOX_LIMIT} messages this device sent to the team server, newest first, kept encrypted on this device with your log. Your log itself is never among them. Erasing your data clears this list.`),
        outbox,
      ),
    ),
    dispose: off,
  };
};
