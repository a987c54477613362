import { TASK_LABELS, TASKS as TASK_IDS, type TaskId } from '../../types.ts';
import { clear, formatTime, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import { consentNextStep, teamTermsCard } from '../onboarding/consentParts.ts';
import { gettingStarted, onboardingSteps } from '../onboarding/steps.ts';

const TASK_HELP: Record<TaskId, string> = {
  injury: 'Helps the team model estimate the chance of a new injury in the next 7 days.',
  readiness: 'Helps the team model forecast tomorrow’s readiness from today’s log.',
};

export const consentScreen: ScreenFactory = (app) => {
  const identity = app.identity();
  const settings = app.settings();
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'consent-status' });
  const boxes = new Map<TaskId, HTMLInputElement>();
  const options = TASK_IDS.map((task) => {
    const offered = identity?.tasksOffered.includes(task) ?? false;
    const box = h('input', { type: 'checkbox', id: `consent-${task}`, name: task, checked: settings.consent[task] && offered, disabled: !offered });
    boxes.set(task, box);
    return h(
      'div',
      { class: 'check' },
      box,
      h('label', { for: box.id }, h('strong', {}, `${TASK_LABELS[task]} model`), h('span', { class: 'hint' }, offered ? TASK_HELP[task] : 'Not offered by your team.')),
    );
  });
  const save = h('button', { type: 'submit', class: 'primary', disabled: !identity }, 'Save my choices');
  const next = h('div', { id: 'consent-next' });
  const form = h(
    'form',
    {},
    h('fieldset', {}, h('legend', {}, 'Help train'), ...options),
    h('div', { class: 'actions' }, save),
    status,
    next,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const consent = Object.fromEntries(TASK_IDS.map((t) => [t, boxes.get(t)!.checked])) as Record<TaskId, boolean>;
    save.disabled = true;
    app
      .setConsent(consent)
      .then(() => {
        const on = TASK_IDS.filter((t) => consent[t]).map((t) => TASK_LABELS[t].toLowerCase());
        status.textContent = on.length > 0 ? `Saved. This device now helps train: ${on.join(' and ')}.` : 'Saved. This device shares nothing.';
        clear(next, consentNextStep(app));
      })
      .catch(() => (status.textContent = 'Could not save. Try again.'))
      .finally(() => (save.disabled = false));
  });
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'consent-title' },
      identity && gettingStarted(app.vault.counts().days) ? onboardingSteps(1) : null,
      h('h2', { id: 'consent-title', tabindex: '-1' }, 'What you share'),
      !identity ? h('p', { class: 'notice' }, 'Join your team first (', h('a', { href: '#/join' }, 'join'), ') to take part. Until then nothing leaves this device.') : null,
      h(
        'div',
        { class: 'card never' },
        h('h3', {}, 'Never leaves this device'),
        h(
          'ul',
          {},
          h('li', {}, 'Your daily log: every answer, training session, sleep, injury, heart-rate value and date.'),
          h('li', {}, 'Your forecasts and their reasons.'),
          h('li', {}, 'The keys that encrypt your log and sign your messages.'),
        ),
      ),
      h(
        'div',
        { class: 'card leaves' },
        h('h3', {}, 'Leaves this device, only for the tasks you choose'),
        h(
          'ul',
          {},
          h(
            'li',
            {},
            h('strong', {}, 'Model updates. '),
            'Your device trains the team model on your log and sends only the change in the model’s numbers, clipped to a size limit so no single athlete can dominate, over an encrypted connection. With the number of days it trained on, its average training error and, if your team uses adaptive clipping, one bit saying whether the change was within the limit. When your team turns on secure aggregation, the change is masked so the team server only ever sees the sum over many athletes.',
          ),
          h(
            'li',
            {},
            h('strong', {}, 'Evaluation numbers. '),
            'How well the new team model does on your most recent days, as aggregates only: for injury risk, a histogram of predicted risk by outcome (how many days fell in each risk band, with and without an injury after); for readiness, sums of the errors.',
          ),
          h('li', {}, h('strong', {}, 'A pseudonymous device id '), 'and which tasks you opted in to.'),
        ),
        h('p', {}, 'You can see every message sent, as it is sent, under ', h('a', { href: '#/sharing' }, 'Sharing'), '.'),
      ),
      identity ? teamTermsCard(app) : null,
      form,
      settings.consentedAt ? h('p', { class: 'muted' }, `Last changed ${formatTime(settings.consentedAt)}. You can change this at any time.`) : h('p', { class: 'muted' }, 'You can change this at any time.'),
    ),
  };
};
