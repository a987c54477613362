import { decodeServerMessage } from '@huddle/shared/protocol';
import { TASK_LABELS, type TaskId } from '../types.ts';
import type { OutboxEntry } from './messages.ts';

/** What the device learned about a round from the coordinator's requests, to name it in plain words. */
export interface RoundInfo {
  task: TaskId;
  round: number;
  /** The update goes into a secure sum (only the team's total is ever readable). */
  secure: boolean;
  /** This device adds its share of the privacy noise before sending (distributed DP). */
  deviceNoise: boolean;
}

/** Remembers the last rounds the coordinator asked this device about (from fit, evaluate and roundEnd messages). */
export class RoundContext {
  private readonly rounds = new Map<string, RoundInfo>();

  observe(bytes: unknown): void {
    const decoded = decodeServerMessage(bytes, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) return;
    const m = decoded.message;
    if (m.type === 'fitRequest') this.remember(m.roundId, { task: m.task, round: m.round, secure: m.secure !== null, deviceNoise: (m.secure?.noiseSigma ?? 0) > 0 });
    else if ((m.type === 'evaluateRequest' || m.type === 'roundEnd') && !this.rounds.has(m.roundId)) this.remember(m.roundId, { task: m.task, round: m.round, secure: false, deviceNoise: false });
  }

  get(roundId: string | undefined): RoundInfo | undefined {
    return roundId === undefined ? undefined : this.rounds.get(roundId);
  }

  private remember(roundId: string, info: RoundInfo): void {
    this.rounds.set(roundId, info);
    if (this.rounds.size > 64) this.rounds.delete(this.rounds.keys().next().value!);
  }
}

function model(info: RoundInfo | undefined): string {
  return info ? `round ${info.round} of the ${TASK_LABELS[info.task].toLowerCase()} model` : 'a round of a team model';
}

/** One sentence an athlete can read: what left the device, for what, and who can read it. */
export function plainWords(entry: OutboxEntry, info: RoundInfo | undefined): string {
  const r = model(info);
  switch (entry.type) {
    case 'hello':
      return 'Told the team server this device is online, under its random id, and which models you help train.';
    case 'setTasks':
      return 'Told the team server which models you now help train.';
    case 'fitResult':
      return `Sent your training update for ${r}: changes to the model’s numbers, size-limited, no log values. Your team does not use secure aggregation here, so the team server can read this update.`;
    case 'evaluateResult':
      return `Sent how well the new model did on your recent days, for ${r}: counts or error totals only, readable by the team server.`;
    case 'decline':
      return `Said no to ${r}, so nothing from your log was used.`;
    case 'secagg':
      switch (entry.step) {
        case 'secagg/advertise-keys':
          return `Started secure aggregation for ${r}: sent one-time public keys, no data.`;
        case 'secagg/share-keys':
          return `Sent locked key pieces to other athletes’ devices for ${r}; the team server cannot open them.`;
        case 'secagg/masked-input':
          return `Sent your training update for ${r}, encrypted so the team server only sees the team’s sum${info?.deviceNoise ? ', with privacy noise added on this device' : ''}.`;
        case 'secagg/survivor-signature':
          return `Confirmed which devices finished ${r} (a signature, no data).`;
        case 'secagg/unmask-response':
          return `Sent the key pieces that let the team server open the team’s sum for ${r}; they never open your update alone.`;
        default:
          return `A secure-aggregation step for ${r}, unreadable on its own.`;
      }
    default:
      return 'Sent a message this app could not describe; it carries no log values.';
  }
}
