import { enroll, EnrollError } from '../../identity.ts';
import { TASK_LABELS } from '../../types.ts';
import { field, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';
import { onboardingSteps } from '../onboarding/steps.ts';
import { passphraseCard } from '../vault/passphraseCard.ts';

export const joinScreen: ScreenFactory = (app, params) => {
  const identity = app.identity();
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'join-status' });
  if (identity) {
    return {
      el: h(
        'section',
        { 'aria-labelledby': 'join-title' },
        h('h2', { id: 'join-title', tabindex: '-1' }, 'You have joined'),
        h('p', {}, 'This device is enrolled in your team’s federation as ', h('code', {}, identity.clientId), ', a random id that says nothing about you.'),
        h('p', {}, 'Tasks offered: ', identity.tasksOffered.map((t) => TASK_LABELS[t]).join(', '), '.'),
        h('p', {}, h('a', { href: '#/consent', class: 'button' }, 'Choose what you share')),
      ),
    };
  }
  const code = h('input', {
    id: 'invite-code',
    name: 'inviteCode',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    required: true,
    value: params.get('code') ?? '',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Join');
  const form = h(
    'form',
    { novalidate: true },
    field('Invite code', code, 'From the join link or your coach, e.g. ABCDE-12345.'),
    h('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    status.textContent = 'Joining…';
    status.className = 'status';
    enroll(app.origin, code.value)
      .then(async (id) => {
        await app.setIdentity(id);
        status.textContent = 'Joined. Next: choose what you share.';
        location.hash = '#/consent';
      })
      .catch((err: unknown) => {
        status.textContent = err instanceof EnrollError ? err.message : 'Joining failed. Try again.';
        status.className = 'status error';
        code.setAttribute('aria-invalid', 'true');
        submit.disabled = false;
        code.focus();
      });
  });
  return {
    el: h(
      'section',
      { 'aria-labelledby': 'join-title' },
      onboardingSteps(0),
      h('h2', { id: 'join-title', tabindex: '-1' }, 'Join your team'),
      h(
        'p',
        {},
        'Huddle learns readiness and injury-risk patterns from many athletes without collecting anyone’s log. Your daily log stays on this device, encrypted. Joining creates a signing key on this device; only its public half is sent to the team server.',
      ),
      form,
      // Before joining, nothing is sealed yet: a passphrase set now leaves no older key copy that opens anything.
      h('details', { class: 'card', id: 'join-passphrase' }, h('summary', {}, 'Protect this device with a passphrase first (optional)'), passphraseCard(app)),
      h('p', { class: 'muted' }, 'No code? You can still ', h('a', { href: '#/log' }, 'keep a private log'), ' and see forecasts.'),
    ),
  };
};
