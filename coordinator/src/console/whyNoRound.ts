import type { BudgetReport } from '../http/budgetReport.ts';
import type { PublicRound } from '../dashboard/publicRound.ts';

export interface RoundReadiness {
  /** Completed rounds so far; a running round is number `round + 1`. */
  round: number;
  running: boolean;
  /** Connected, opted-in clients not busy with another round. */
  idle: number;
  /** Connected, opted-in clients, busy or not. */
  connected: number;
  /** Enrolled for the task (enrolled mode); null in open mode. */
  enrolled: number | null;
  minClients: number;
  budget: BudgetReport;
  last: PublicRound | null;
  /** The model can change no more (every tree built). */
  complete: boolean;
}

export type RoundOutlook =
  | { state: 'running'; message: string }
  | { state: 'refused'; message: string }
  | { state: 'waiting'; message: string }
  | { state: 'ready'; message: string };

const fmt = (n: number) => Number(n.toPrecision(4)).toString();

/** The budget a privacy refusal named ("... past the budget of 3 (delta 1e-05)"), to tell whether it still stands. */
function refusedAtBudget(reason: string | null): number | null {
  const m = reason?.match(/^privacy budget: .* past the budget of ([0-9.e+-]+)/);
  return m ? Number(m[1]) : null;
}

/** Why a task's next round is (not) starting, in the operator's words, from the engine's public state. */
export function whyNoRound(s: RoundReadiness): RoundOutlook {
  if (s.running) return { state: 'running', message: `Round ${s.round + 1} is running.` };
  if (s.complete) return { state: 'refused', message: `The model is complete after ${s.round} rounds: every tree is built, so no further round opens. Start a new task to train further.` };
  const b = s.budget;
  if (b.exhausted && b.epsilonBudget !== null) {
    return { state: 'refused', message: `Refused for the privacy budget: ε ${fmt(b.epsilonSpent)} spent of ${fmt(b.epsilonBudget)} (δ ${b.delta}). Raise the budget or start a new task to train further.` };
  }
  const last = s.last;
  if (last?.status === 'abandoned' && b.epsilonBudget !== null && refusedAtBudget(last.reason) === b.epsilonBudget) {
    return { state: 'refused', message: `Refused for the privacy budget: ${last.reason!.replace(/^privacy budget: /, '')}.` };
  }
  const clients = (n: number) => `${n} connected opted-in client${n === 1 ? '' : 's'}`;
  if (s.idle < s.minClients) {
    const busy = s.connected - s.idle;
    const details = [`${s.idle} now`, busy > 0 ? `${busy} busy in another round` : null, s.enrolled !== null ? `${s.enrolled} enrolled for this task` : null].filter(Boolean).join(', ');
    return { state: 'waiting', message: `Waiting for ${clients(s.minClients)} (${details}).` };
  }
  return { state: 'ready', message: `${s.idle} clients are ready: round ${s.round + 1} starts at the scheduler's next turn.` };
}
