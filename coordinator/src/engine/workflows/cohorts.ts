import type { EvaluationKind } from '@huddle/shared/aggregation';
import type { WeightEntry, TaskId } from '@huddle/shared/model';
import type { ModelVersion, SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity } from '@huddle/shared/secagg';

/**
 * Hierarchical aggregation (Bonawitz et al. 2019): the selected clients are split into cohorts by the
 * node that holds their sockets; each node runs the ordinary fit or evaluate workflow (plain or SecAgg)
 * over its cohort and sends one cohort sum; the leader adds the sums. These are the engine's types for it,
 * independent of how orders and sums travel (the cluster's Redis bus).
 */

/** What a cohort's node needs to check one member's messages and put it in a secure roster. */
export interface CohortMember {
  clientId: string;
  /** The member's connection (socket) id on its node. */
  conn: string;
  /** The challenge nonce its messages are signed over, and its enrollment key (null in open federations). */
  nonce: Uint8Array | null;
  publicKey: Uint8Array | null;
  identity: PeerIdentity | null;
}

export interface CohortOrder {
  roundId: string;
  cohort: string;
  task: TaskId;
  members: CohortMember[];
  /** Updates to wait for before the cohort closes (its share of clientsPerRound). */
  target: number;
  /** Fewest updates (survivors) the cohort's sum may contain: the privacy floor under SecAgg. */
  minSurvivors: number;
  /** Until the training deadline, relative so that node clocks need not agree. */
  remainingMs: number;
  clip: number;
  /** Plain path: how each update weighs in the cohort's sum (examples: FedAvg; uniform: DP-FedAvg). */
  plain: { manifest: WeightEntry[]; weighting: 'examples' | 'uniform' } | null;
  secure: { encoding: SecureFit; neighbours: number | null; threshold: number | null; phaseTimeoutMs: number; maxStrikes: number } | null;
  /**
   * Set: the cohort evaluates the round's candidate `model` instead of fitting (under SecAgg when `secure` is set,
   * `plain` is then null); the result is the sum of the members' evaluation vectors.
   */
  evaluate?: { expected: EvaluationKind; model: ModelVersion } | null;
}

/**
 * One cohort's result. Plain: the weighted sum of its updates (not the mean) and the weights' sum.
 * Secure: the unmasked integer sum of its survivors in Z/2^32 (decoded only by the leader, over all cohorts).
 */
export type CohortResult =
  | { status: 'plain'; reported: string[]; sum: Float32Array; weight: number; numExamples: number; trainLoss: number; clipBits: number }
  | { status: 'secure'; reported: string[]; sum: Uint32Array }
  /** A plain evaluation cohort: the sum of its members' evaluation vectors (unnoised: the leader noises the total). */
  | { status: 'evaluation'; reported: string[]; sum: Float64Array }
  | { status: 'failed'; reason: string; reported: string[]; released: boolean };

/** Where the leader's "sum of cohort sums" step sends orders and hears results. */
export interface CohortPort {
  /** Which node holds a joined client's socket, and what that node needs about it; null when unknown. */
  locate(clientId: string): { node: string; member: Omit<CohortMember, 'identity'> } | null;
  dispatch(node: string, order: CohortOrder): void;
  /** A cohort's result may arrive more than once (nodes resend until acknowledged); the caller counts it once. */
  subscribe(roundId: string, onResult: (node: string, cohort: string, result: CohortResult) => void): () => void;
  /** False once a node has gone silent (it stopped sending its periodic roster). */
  alive(node: string): boolean;
  /** The round no longer waits for this cohort: its node stops the cohort's fit and resending its sum. */
  release(node: string, roundId: string, cohort: string): void;
  /**
   * The node name under which this port runs a cohort itself, over the leader's relay, for clients whose own node
   * holds fewer than the privacy floor (cohortPlan.ts merges them). Absent: such clients are left out of the round.
   */
  relay?: string;
  /** A client joined with this enrollment key: its node can import the key before a round needs it. */
  joined?(clientId: string, publicKey: Uint8Array): void;
}
