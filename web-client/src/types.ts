import type { PublishedEvaluation } from '@huddle/shared/metrics';
import type { ModelSettings } from '@huddle/shared/model';
import type { TaskId } from '@huddle/shared/model';

export type { TaskId };

/**
 * The federation's tasks (the same list as TASK_IDS in @huddle/shared/model, repeated here so the page bundle does
 * not pull in the model package and tfjs: only the worker needs those).
 */
export const TASKS = ['injury', 'readiness'] as const satisfies readonly TaskId[];

/** This device's membership of the federation. The secret key never leaves the device. */
export interface Identity {
  clientId: string;
  /** base64 Ed25519 public key (registered with the coordinator at enrollment). */
  publicKey: string;
  /** base64 Ed25519 secret key (64 bytes, tweetnacl layout). */
  secretKey: string;
  enrolledAt: string;
  /** Tasks the coordinator offered at enrollment. */
  tasksOffered: TaskId[];
}

export interface Settings {
  /** Opt-in per task: only these tasks ever train on this device's log. */
  consent: Record<TaskId, boolean>;
  /** When the athlete last confirmed the consent screen; null = never (nothing is shared). */
  consentedAt: string | null;
}

export const DEFAULT_SETTINGS: Settings = { consent: { injury: false, readiness: false }, consentedAt: null };

/** A global model kept on the device so forecasts work offline. */
export interface CachedModel {
  task: TaskId;
  round: number;
  inputSize: number;
  labelScale: number;
  /** The model class and target; absent in copies cached before model choice (the network). */
  model?: ModelSettings;
  /** base64 of little-endian float32 weights in the flat layout. */
  weights: string;
  fetchedAt: string;
  source: 'download' | 'round';
  /** The federated evaluation the coordinator published with this model version, if any. */
  published?: PublishedEvaluation | null;
}

export interface ContributionRecord {
  task: TaskId;
  round: number;
  roundId: string;
  at: string;
}

export interface ParticipationRecord {
  last: ContributionRecord | null;
  recent: ContributionRecord[];
}

export const TASK_LABELS: Record<TaskId, string> = {
  injury: 'Injury risk',
  readiness: 'Readiness',
};
