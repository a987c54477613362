import { ledgerEpsilon, type PrivacyLedger } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';

export interface BudgetReport {
  task: string;
  /** Charges in the ledger (normally one per round that added noise). */
  charges: number;
  /** The task's delta, at which epsilon is reported. */
  delta: number;
  epsilonSpent: number;
  /** The RDP order at which the bound is tightest. */
  order: number | null;
  /** The task's epsilon budget; null when none is set. */
  epsilonBudget: number | null;
  remaining: number | null;
  exhausted: boolean;
  noise: TaskConfig['privacy']['noise'];
}

/** Epsilon spent so far (from the ledger) against the budget in the task's privacy configuration. */
export function budgetReport(ledger: PrivacyLedger, privacy: TaskConfig['privacy']): BudgetReport {
  const spent = ledger.entries.length > 0 ? ledgerEpsilon(ledger, privacy.delta) : null;
  const epsilonSpent = spent?.epsilon ?? 0;
  const budget = privacy.epsilonBudget;
  return {
    task: ledger.taskId,
    charges: ledger.entries.length,
    delta: privacy.delta,
    epsilonSpent,
    order: spent?.order ?? null,
    epsilonBudget: budget,
    remaining: budget === null ? null : Math.max(0, budget - epsilonSpent),
    exhausted: budget === null ? false : epsilonSpent >= budget,
    noise: privacy.noise,
  };
}
