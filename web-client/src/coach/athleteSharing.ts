import { localCalendarDate } from '@huddle/shared/log';
import type { App } from '../app.ts';

import { shareActive, type CoachShare } from './coachShare.ts';
import { revokeSharing, sendSummary } from './relayClient.ts';
import { buildSummary, summaryDigest } from './summaryBuilder.ts';

export interface ShareOutcome {
  sent: number;
  errors: string[];
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs sharing jobs one after another, so two events never send the same summary twice. */
function serialized<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Sends each active coach today's summary when it differs from the last one sent (or a new day began). Runs after
 * check-ins, forecasts and plan changes; `force` sends even an unchanged summary (the athlete's "Send now").
 */
export function shareDueSummaries(app: App, force = false): Promise<ShareOutcome> {
  return serialized(async () => {
    const identity = app.identity();
    const outcome: ShareOutcome = { sent: 0, errors: [] };
    if (!identity || app.erased) return outcome;
    const today = localCalendarDate();
    const shares = app.vault.coaches();
    const updated: CoachShare[] = [];
    let changed = false;
    for (const share of shares) {
      if (!shareActive(share, today)) {
        updated.push(share);
        continue;
      }
      const summary = buildSummary({ share, today, todayRow: app.vault.row(today), forecast: app.forecast?.result ?? null, planned: app.vault.planned.days(), now: new Date() });
      const digest = summaryDigest(summary);
      if (!force && share.lastSent?.date === today && share.lastSent.digest === digest) {
        updated.push(share);
        continue;
      }
      try {
        await sendSummary(app.origin, identity, share, summary);
        updated.push({ ...share, lastSent: { date: today, digest, at: summary.sentAt } });
        outcome.sent++;
        changed = true;
      } catch (err) {
        outcome.errors.push(`${share.name}'s summary for this coach was not sent: ${err instanceof Error ? err.message : String(err)}`);
        updated.push(share);
      }
    }
    if (changed) await app.vault.setCoaches(updated);
    return outcome;
  });
}

export function addShare(app: App, share: CoachShare): Promise<void> {
  return serialized(() => app.vault.setCoaches([...app.vault.coaches(), share]));
}

/** Stops sharing with one coach: the device stops sending at once, and asks the coordinator to delete what it holds. */
export function stopSharing(app: App, grantId: string): Promise<void> {
  return serialized(async () => {
    const identity = app.identity();
    const share = app.vault.coaches().find((s) => s.grantId === grantId);
    if (!share || share.revokedAt !== null) return;
    // Marked stopped on the device first: even if the coordinator cannot be reached, nothing more leaves this device.
    const stopped = { ...share, revokedAt: new Date().toISOString() };
    await app.vault.setCoaches(app.vault.coaches().map((s) => (s.grantId === grantId ? stopped : s)));
    if (identity) await revokeSharing(app.origin, identity, share);
  });
}
