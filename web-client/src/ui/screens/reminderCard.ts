import type { App } from '../../app.ts';
import { disableReminder, enableReminder, loadReminder, notificationsSupported, scheduleReminder } from '../../reminders/reminders.ts';
import { clear, field, formatTime, h } from '../dom.ts';

const REFUSED = {
  unsupported: 'This browser cannot show notifications, so no reminders will be sent.',
  denied: 'Notifications are blocked for this app, so no reminders will be sent. You can allow them in your browser’s site settings, then try again.',
  dismissed: 'Notifications were not allowed, so no reminders will be sent.',
} as const;

/** Pick a time, then allow notifications (asked only when the athlete taps the button). */
export function reminderCard(app: App): HTMLElement {
  const saved = loadReminder();
  const time = h('input', { id: 'reminder-time', name: 'reminderTime', type: 'time', value: saved?.time ?? '07:30', required: true });
  const status = h('p', { class: 'status', role: 'status', id: 'reminder-status' });
  const on = h('button', { type: 'button', class: 'primary', id: 'reminder-on' }, saved ? 'Change reminder time' : 'Remind me every day');
  const off = h('button', { type: 'button', id: 'reminder-off', hidden: !saved }, 'Stop reminders');
  const showNext = (next: Date | null) => clear(status, next ? `Reminder set for ${time.value} every day. Next: ${formatTime(next.toISOString())}. It comes while Huddle is open in a tab; it is skipped on days you have checked in.` : '');
  on.addEventListener('click', () => {
    if (!/^\d{2}:\d{2}$/.test(time.value)) return void clear(status, 'Choose a time first.');
    on.disabled = true;
    void enableReminder(app, time.value)
      .then((r) => {
        if (!r.ok) return void clear(status, REFUSED[r.reason]);
        showNext(r.next);
        off.hidden = false;
        on.textContent = 'Change reminder time';
      })
      .finally(() => (on.disabled = false));
  });
  off.addEventListener('click', () => {
    disableReminder();
    off.hidden = true;
    on.textContent = 'Remind me every day';
    clear(status, 'Reminders are off.');
    on.focus();
  });
  if (saved && notificationsSupported() && Notification.permission === 'granted') showNext(scheduleReminder(app));
  else if (saved && notificationsSupported() && Notification.permission === 'denied') clear(status, REFUSED.denied);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'reminder-title', id: 'reminders' },
    h('h3', { id: 'reminder-title' }, 'Check-in reminder'),
    h('p', {}, 'A daily notification at a time you choose. Your browser asks whether Huddle may show notifications only when you tap the button.'),
    field('Reminder time', time),
    h('div', { class: 'actions' }, on, off),
    status,
  );
}
