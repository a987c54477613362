import { localCalendarDate } from '@huddle/shared/log';
import type { App } from '../app.ts';

/**
 * Daily check-in reminders, shown through the service worker (`registration.showNotification`) at the time the athlete
 * picked, only once they allowed notifications. The page keeps the timer: browsers give a service worker no alarm
 * clock without a push server, so a reminder comes while the app is open in a tab (foreground or background).
 * The chosen time (not a log value) is kept in localStorage, which "erase everything" clears.
 */
const KEY = 'huddle-reminder';
export const REMINDER_TITLE = 'Time for your check-in';

export interface ReminderSetting {
  /** Local time of day, HH:MM. */
  time: string;
}

export function loadReminder(): ReminderSetting | null {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    return raw && typeof raw === 'object' && typeof (raw as ReminderSetting).time === 'string' && /^\d{2}:\d{2}$/.test((raw as ReminderSetting).time) ? { time: (raw as ReminderSetting).time } : null;
  } catch {
    return null;
  }
}

function saveReminder(setting: ReminderSetting | null): void {
  if (setting) localStorage.setItem(KEY, JSON.stringify(setting));
  else localStorage.removeItem(KEY);
}

/** The next moment at `time` (local) strictly after `now`. */
export function nextReminderAt(time: string, now: Date): Date {
  const [hh, mm] = time.split(':').map(Number);
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hh, mm, 0, 0);
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
  return at;
}

export function notificationsSupported(): boolean {
  return 'Notification' in globalThis && 'serviceWorker' in navigator;
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** Shows the reminder unless today's check-in is done. */
async function remind(app: App): Promise<void> {
  if (Notification.permission !== 'granted' || app.erased) return;
  const today = app.vault.row(localCalendarDate());
  if (today && (today.readiness !== null || today.fatigue !== null)) return;
  const reg = await navigator.serviceWorker.ready;
  await reg.showNotification(REMINDER_TITLE, { body: 'A 30-second check-in keeps your forecasts right.', tag: 'huddle-checkin', data: { url: './#/log' } });
}

/** (Re)arms the timer for the saved time; nothing when reminders are off or notifications are not allowed. */
export function scheduleReminder(app: App): Date | null {
  clearTimeout(timer);
  const setting = loadReminder();
  if (!setting || !notificationsSupported() || Notification.permission !== 'granted') return null;
  const at = nextReminderAt(setting.time, new Date());
  timer = setTimeout(() => {
    void remind(app).finally(() => scheduleReminder(app));
  }, at.getTime() - Date.now());
  return at;
}

export type EnableOutcome = { ok: true; next: Date } | { ok: false; reason: 'unsupported' | 'denied' | 'dismissed' };

/** Asks for permission (call only from the athlete's own tap), then saves the time and arms the timer. */
export async function enableReminder(app: App, time: string): Promise<EnableOutcome> {
  if (!notificationsSupported()) return { ok: false, reason: 'unsupported' };
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, reason: permission === 'denied' ? 'denied' : 'dismissed' };
  saveReminder({ time });
  const next = scheduleReminder(app);
  return next ? { ok: true, next } : { ok: false, reason: 'denied' };
}

export function disableReminder(): void {
  clearTimeout(timer);
  saveReminder(null);
}
