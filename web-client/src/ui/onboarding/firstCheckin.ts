import { clear, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import { quickCheckin } from '../screens/quickCheckin.ts';
import { wearableImport } from '../screens/wearableImport.ts';
import { onboardingSteps } from './steps.ts';

/** Onboarding's last step: a first check-in or an import, then where to go next. */
export const firstCheckinScreen: ScreenFactory = (app) => {
  const next = h('div', { id: 'start-next', role: 'status', 'aria-live': 'polite' });
  const done = () => {
    const days = app.vault.counts().days;
    if (days === 0) return;
    const link = h('a', { href: '#/forecast', class: 'button', id: 'start-forecast' }, 'See your forecast');
    clear(
      next,
      h('p', {}, `Done: ${days} ${days === 1 ? 'day' : 'days'} logged, encrypted on this device. Next: your forecast, which grows more personal with every day you log.`),
      h('p', {}, link, ' ', h('a', { href: '#/log' }, 'or go to your log')),
    );
    link.focus();
  };
  const el = h(
    'section',
    { 'aria-labelledby': 'start-title' },
    onboardingSteps(2),
    h('h2', { id: 'start-title', tabindex: '-1' }, 'Your first check-in'),
    h('p', {}, 'Forecasts learn what is usual for you from your own days. Answer today’s check-in (about 30 seconds, every answer optional), or bring in past days from a file.'),
    quickCheckin(app, done),
    h(
      'details',
      { class: 'card', id: 'start-import' },
      h('summary', {}, 'Or import past days from a watch, ring or file'),
      wearableImport(app, done),
      h('p', {}, 'A spreadsheet (CSV) of past days: ', h('a', { href: '#/log' }, 'import it on the Log screen'), '.'),
    ),
    next,
  );
  queueMicrotask(done);
  return { el };
};
