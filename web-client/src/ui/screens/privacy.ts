import { formatDailyLogCsv, localCalendarDate } from '@huddle/shared/log';

import { clear, h } from '../dom.ts';
import { confirmInline } from '../confirmInline.ts';
import { passphraseCard } from '../vault/passphraseCard.ts';
import type { ScreenFactory } from '../screen.ts';

export const privacyScreen: ScreenFactory = (app) => {
  const identity = app.identity();
  const counts = app.vault.counts();
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'privacy-status' });

  const download = h('button', { type: 'button', id: 'export-csv' }, 'Download my log (CSV)');
  download.addEventListener('click', () => {
    const blob = new Blob([formatDailyLogCsv(app.vault.rows())], { type: 'text/csv' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `huddle-log-${localCalendarDate()}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });

  const enrolledText = h('p', { id: 'enrolled-as' }, identity ? `Enrolled with your team’s server under the pseudonymous id ${identity.clientId}.` : 'Not enrolled with a team server.');

  /* Leave: forget the enrollment, keep the log. */
  const leaveArea = h('div', {});
  const leave = h('button', { type: 'button', id: 'leave', class: 'danger-outline', disabled: !identity }, 'Leave the federation');
  confirmInline(leaveArea, leave, { id: 'leave', question: 'Leave your team’s federation? This device stops taking part and the team server is asked to forget it. Your log stays here.', yes: 'Yes, leave' }, () => {
    void app.leaveFederation().then((outcome) => {
      clear(leaveArea);
      leave.disabled = true;
      enrolledText.textContent = 'Not enrolled with a team server: this device has left. Your log is still here.';
      status.textContent = outcome?.ok
        ? 'You have left. The team server has forgotten this device. Your log is still here.'
        : `You have left on this device. The team server could not confirm (${outcome && !outcome.ok ? outcome.message : 'no answer'}); it keeps only a pseudonymous id and public key.`;
    });
  });

  /* Erase everything. */
  const eraseArea = h('div', {});
  const erase = h('button', { type: 'button', id: 'erase', class: 'danger' }, 'Erase everything');
  const question = `This deletes your ${counts.days} logged days, your keys and every cached file from this device, and asks the team server to forget this device. It cannot be undone.`;
  confirmInline(eraseArea, erase, { id: 'erase', question, yes: 'Yes, erase everything' }, (no) => {
    no.disabled = true;
    status.textContent = 'Erasing…';
    void app.eraseEverything().then(({ coordinator }) => {
      const server = coordinator === null ? 'This device was not enrolled with a team server.' : coordinator.ok ? 'The team server has forgotten this device.' : `The team server could not confirm (${coordinator.message}).`;
      sessionStorage.setItem('huddle-erased', server);
      location.hash = '#/erased';
    });
  });

  return {
    el: h(
      'section',
      { 'aria-labelledby': 'privacy-title' },
      h('h2', { id: 'privacy-title', tabindex: '-1' }, 'Your data'),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, 'On this device'),
        h('p', { id: 'stored-count' }, `${counts.days} logged days, stored in this browser’s database.`),
        h(
          'p',
          {},
          'Every record (your log, your enrollment key, what this device sent) is encrypted with AES-GCM (256-bit) using a fresh random nonce per record. The database holds only random ids and ciphertext. The key was made in this browser and no script can read or send it; where it is kept depends on the passphrase below.',
        ),
        enrolledText,
        h('div', { class: 'actions' }, download),
      ),
      passphraseCard(app),
      h('div', { class: 'card' }, h('h3', {}, 'Stop sharing'), h('p', {}, 'Opt out of a task at any time: ', h('a', { href: '#/consent' }, 'change what you share'), '.'), leave, leaveArea),
      h('div', { class: 'card danger-zone' }, h('h3', {}, 'Erase my data'), h('p', {}, 'Deletes every record, key and cached file of this app from this device and asks the team server to forget this device.'), erase, eraseArea),
      status,
    ),
  };
};
