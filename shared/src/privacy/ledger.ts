/**
 * Per-task privacy ledger: every round spent with its sampling rate, noise multiplier and steps.
 * Pure data (JSON-serializable); the coordinator persists it. Heterogeneous rounds compose by
 * adding their RDP curves order by order (RDP composition, Mironov 2017 Proposition 1).
 */
import { z } from 'zod';
import { requireFinitePositive, requireOpenUnit, requirePositiveInteger, requireSamplingRate } from './checks.ts';
import { type Conversion, type EpsilonResult, epsilonFromRdp } from './rdpToDp.ts';
import { ddgExcessRdp } from './distributedCorrection.ts';
import { DEFAULT_RDP_ORDERS, sampledGaussianRdp } from './sampledGaussianRdp.ts';
import { fixedSizeGaussianRdp } from './samplingWithoutReplacement.ts';

export const ledgerEntrySchema = z.object({
  samplingRate: z.number().gt(0).lte(1),
  noiseMultiplier: z.number().gt(0),
  steps: z.number().int().positive(),
  /**
   * poisson (default, and what older ledgers hold): each client takes part independently with probability q, the
   * add/remove relation; fixed-size: exactly q n of n clients drawn without replacement, the replace-one relation
   * (samplingWithoutReplacement.ts).
   */
  sampling: z.enum(['poisson', 'fixed-size']).optional(),
  /** Distributed DP: the distributed discrete Gaussian's correction, charged on top (distributedCorrection.ts). */
  ddg: z
    .object({
      tau: z.number().min(0),
      dimension: z.number().int().positive(),
      /** The update sum's own noise multiplier when it is below the entry's (adaptive clipping); absent = the entry's. */
      noiseMultiplier: z.number().gt(0).optional(),
    })
    .optional(),
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
  return ledgerEntrySchema.parse(entry);
}

/** RDP of one step of an entry's mechanism at order alpha. */
export function entryRdp(entry: LedgerEntry, alpha: number): number {
  const base =
    entry.sampling === 'fixed-size'
      ? fixedSizeGaussianRdp(entry.samplingRate, entry.noiseMultiplier, alpha)
      : sampledGaussianRdp(entry.samplingRate, entry.noiseMultiplier, alpha);
  return entry.ddg ? base + ddgExcessRdp(alpha, entry.ddg.noiseMultiplier ?? entry.noiseMultiplier, entry.ddg) : base;
}

function rdpOfEntries(entries: readonly LedgerEntry[], orders: readonly number[]): number[] {
  const stepsByMechanism = new Map<string, { entry: LedgerEntry; steps: number }>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.samplingRate, entry.noiseMultiplier, entry.sampling ?? 'poisson', entry.ddg?.tau ?? 0, entry.ddg?.dimension ?? 0, entry.ddg?.noiseMultiplier ?? 0]);
    const group = stepsByMechanism.get(key);
    if (group) group.steps += entry.steps;
    else stepsByMechanism.set(key, { entry, steps: entry.steps });
  }
  const total = orders.map(() => 0);
  for (const { entry, steps } of stepsByMechanism.values()) {
    orders.forEach((alpha, k) => {
      total[k]! += steps * entryRdp(entry, alpha);
    });
  }
  return total;
}
