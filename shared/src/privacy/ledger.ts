/**
 * Per-task privacy ledger: every round spent with its sampling rate, noise multiplier and steps.
 * Pure data (JSON-serializable); the coordinator persists it. Heterogeneous rounds compose by
 * adding their RDP curves order by order (RDP composition, Mironov 2017 Proposition 1).
 */
import { z } from 'zod';
import { requireFinitePositive, requireOpenUnit, requirePositiveInteger, requireSamplingRate } from './checks.ts';
import { type Conversion, type EpsilonResult, epsilonFromRdp } from './rdpToDp.ts';
import { DEFAULT_RDP_ORDERS, sampledGaussianRdp } from './sampledGaussianRdp.ts';

export const ledgerEntrySchema = z.object({
  samplingRate: z.number().gt(0).lte(1),
  noiseMultiplier: z.number().gt(0),
  steps: z.number().int().positive(),
});

export const ledgerSchema = z.object({
  taskId: z.string().min(1),
  entries: z.array(ledgerEntrySchema),
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type PrivacyLedger = z.infer<typeof ledgerSchema>;

export interface PrivacyBudget {
  epsilon: number;
  delta: number;
}

export interface BudgetDecision {
  allowed: boolean;
  epsilonAfter: number;
  reason: string;
}

export function createLedger(taskId: string): PrivacyLedger {
  return ledgerSchema.parse({ taskId, entries: [] });
}

/** A new ledger with `entry` appended; the input is left untouched. */
export function recordRound(ledger: PrivacyLedger, entry: LedgerEntry): PrivacyLedger {
  return { taskId: ledger.taskId, entries: [...ledger.entries, validEntry(entry)] };
}

/** Validates a ledger read back from storage (e.g. the result of JSON.parse); throws a ZodError when malformed. */
export function parseLedger(data: unknown): PrivacyLedger {
  return ledgerSchema.parse(data);
}

/** Total RDP at each order. Entries with the same (samplingRate, noiseMultiplier) are computed once. */
export function ledgerRdp(ledger: PrivacyLedger, orders: readonly number[] = DEFAULT_RDP_ORDERS): number[] {
  return rdpOfEntries(ledger.entries, orders);
}

export function ledgerEpsilon(
  ledger: PrivacyLedger,
  delta: number,
  conversion: Conversion = 'balle2020',
  orders: readonly number[] = DEFAULT_RDP_ORDERS,
): EpsilonResult {
  return epsilonFromRdp(orders, ledgerRdp(ledger, orders), delta, conversion);
}

/** Whether spending `next` on top of the ledger keeps epsilon (at the budget's delta) within the budget. */
export function wouldExceedBudget(
  ledger: PrivacyLedger,
  next: LedgerEntry,
  budget: PrivacyBudget,
  conversion: Conversion = 'balle2020',
  orders: readonly number[] = DEFAULT_RDP_ORDERS,
): BudgetDecision {
  requireFinitePositive('budget.epsilon', budget.epsilon);
  requireOpenUnit('budget.delta', budget.delta);
  const rdp = rdpOfEntries([...ledger.entries, validEntry(next)], orders);
  const { epsilon: epsilonAfter } = epsilonFromRdp(orders, rdp, budget.delta, conversion);
  const allowed = epsilonAfter <= budget.epsilon;
  const comparison = allowed ? 'within' : 'would exceed';
  return {
    allowed,
    epsilonAfter,
    reason: `epsilon after this round would be ${epsilonAfter.toPrecision(6)}, ${comparison} the budget of ${budget.epsilon} at delta ${budget.delta} for task ${ledger.taskId}`,
  };
}

function validEntry(entry: LedgerEntry): LedgerEntry {
  requireSamplingRate('samplingRate', entry.samplingRate);
  requireFinitePositive('noiseMultiplier', entry.noiseMultiplier);
  requirePositiveInteger('steps', entry.steps);
  return { samplingRate: entry.samplingRate, noiseMultiplier: entry.noiseMultiplier, steps: entry.steps };
}

function rdpOfEntries(entries: readonly LedgerEntry[], orders: readonly number[]): number[] {
  const stepsByMechanism = new Map<string, { samplingRate: number; noiseMultiplier: number; steps: number }>();
  for (const { samplingRate, noiseMultiplier, steps } of entries) {
    const key = `${samplingRate}:${noiseMultiplier}`;
    const group = stepsByMechanism.get(key);
    if (group) group.steps += steps;
    else stepsByMechanism.set(key, { samplingRate, noiseMultiplier, steps });
  }
  const total = orders.map(() => 0);
  for (const { samplingRate, noiseMultiplier, steps } of stepsByMechanism.values()) {
    orders.forEach((alpha, k) => {
      total[k]! += steps * sampledGaussianRdp(samplingRate, noiseMultiplier, alpha);
    });
  }
  return total;
}
