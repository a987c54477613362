import type { App } from '../../app.ts';
import { clear, h } from '../dom.ts';
import { fetchTeamPrivacy, teamPrivacyWords } from './teamPrivacy.ts';

/**
 * The consent screen's "your team's settings" card: what the team server says it runs (secure aggregation, DP) per
 * offered task, and the terms this device enforces whatever the server says (the SDK's policy, `describePolicy`, computed in the worker).
 */
export function teamTermsCard(app: App): HTMLElement {
  const offered = app.identity()?.tasksOffered ?? [];
  const list = h('ul', { id: 'team-privacy' }, h('li', { class: 'muted' }, 'Asking the team server…'));
  const terms = h('ul', { id: 'device-terms' });
  app.engine.describePolicy().then(
    (lines) => clear(terms, lines.map((line) => h('li', {}, line))),
    () => clear(terms, h('li', {}, 'The engine is not running; reload the page to see them.')),
  );
  void fetchTeamPrivacy(app.origin).then((all) => {
    const mine = (all ?? []).filter((p) => offered.includes(p.task));
    clear(list, mine.length ? mine.map((p) => h('li', { 'data-task': p.task }, teamPrivacyWords(p))) : h('li', {}, 'The team server did not say (it may be offline). The terms below hold either way.'));
  });
  return h(
    'div',
    { class: 'card', id: 'team-terms' },
    h('h3', {}, 'How your team protects updates'),
    list,
    h(
      'details',
      {},
      h('summary', {}, 'Terms this device enforces itself'),
      h('p', {}, 'Whatever the team server asks, this app refuses rounds that break these terms and tells you why:'),
      terms,
    ),
  );
}

/** After consent is saved: the next step, focused so keyboard and screen-reader users land on it. */
export function consentNextStep(app: App): HTMLElement {
  const days = app.vault.counts().days;
  const link =
    days === 0
      ? h('a', { href: '#/start', class: 'button', id: 'consent-next-link' }, 'Next: your first check-in')
      : h('a', { href: '#/log', class: 'button', id: 'consent-next-link' }, 'Back to your log');
  queueMicrotask(() => link.focus());
  return h('p', {}, link);
}
