/** One EM round of the twin prior, as the coordinator records it (counts only, no client ids). */
export interface TwinPriorRound {
  iteration: number;
  roundId: string;
  startedAt: string;
  endedAt: string;
  status: 'completed' | 'abandoned';
  reason: string | null;
  selected: number;
  reported: number;
  /** Athletes with a personal fit in the sum (noisy under DP); null when nothing was summed. */
  athletes: number | null;
  /** Whether this round's sum became the published prior. */
  published: boolean;
  /** Epsilon of the host task's ledger after this round's charge (before its refund, when `refunded`); null without DP. */
  epsilon: number | null;
  /**
   * The round was charged and abandoned before anything was released (no sum decoded), and the store removed its
   * charge from the ledger with this record, as for training rounds (the file store keeps every charge: false there).
   */
  refunded: boolean;
  /** The summed moment vector the coordinator learned (noised under DP) and the std of that noise per coordinate. */
  moments: number[] | null;
  noiseStd: number[] | null;
}
