import { ledgerEpsilon, type PrivacyBudget, type PrivacyLedger } from '@huddle/shared/privacy';

/** Delta at which epsilon is reported while no budget is set. */
export const REPORT_DELTA = 1e-5;

export interface BudgetReport {
  task: string;
  /** Charges in the ledger (normally one per round). */
  charges: number;
  delta: number;
  epsilonSpent: number;
  /** The RDP order at which the bound is tightest. */
  order: number | null;
  budget: PrivacyBudget | null;
  remaining: number | null;
  exhausted: boolean;
}

export function budgetReport(ledger: PrivacyLedger, budget: PrivacyBudget | null): BudgetReport {
  const delta = budget?.delta ?? REPORT_DELTA;
  const spent = ledger.entries.length > 0 ? ledgerEpsilon(ledger, delta) : null;
  const epsilonSpent = spent?.epsilon ?? 0;
  return {
    task: ledger.taskId,
    charges: ledger.entries.length,
    delta,
    epsilonSpent,
    order: spent?.order ?? null,
    budget,
    remaining: budget ? Math.max(0, budget.epsilon - epsilonSpent) : null,
    exhausted: budget ? epsilonSpent >= budget.epsilon : false,
  };
}
