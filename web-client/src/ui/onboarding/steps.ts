import { h } from '../dom.ts';
import '../vault/vault.css';

const STEPS = ['Join your team', 'Choose what you share', 'Your first check-in'] as const;

/** "Step 2 of 3" and the list of steps, for the onboarding screens. `current` is 0-based. */
export function onboardingSteps(current: 0 | 1 | 2): HTMLElement {
  return h(
    'div',
    { class: 'onboarding' },
    h('p', { class: 'muted small' }, `Step ${current + 1} of ${STEPS.length}`),
    h(
      'ol',
      { class: 'steps' },
      STEPS.map((s, i) => h('li', { class: i < current ? 'done' : null, 'aria-current': i === current ? 'step' : null }, i < current ? `${s} (done)` : s)),
    ),
  );
}

/** Whether the athlete is still getting started: no day logged yet. */
export function gettingStarted(days: number): boolean {
  return days === 0;
}
