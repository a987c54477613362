import type { Strategy } from '@huddle/shared/aggregation';
import type { ModelSpec, TaskId, WeightEntry } from '@huddle/shared/model';
import type { ModelVersion, TaskConfig } from '@huddle/shared/protocol';
import type { PublishedEvaluation, RoundRecord } from '../roundRecord.ts';
import type { TaskModelRuntime } from '../taskModel.ts';

/** A hosted task's live state: settings, model, strategy and the committed round. */
export interface TaskRuntime {
  config: TaskConfig;
  spec: ModelSpec;
  manifest: WeightEntry[];
  /** The task's model family: parameter layout, and (inside `strategy`) how an aggregate becomes the next model. */
  model: TaskModelRuntime;
  strategy: Strategy;
  round: number;
  weights: Float32Array;
  /** Version of `weights`, the committed model. */
  version: ModelVersion;
  running: boolean;
  /** Current L2 clip bound (moves under adaptive clipping). */
  clip: number;
  /** The federated evaluation published with the committed model (null: none yet). */
  published: PublishedEvaluation | null;
  /** Ids of the clients chosen in the current selection pass (see SelectionPass), kept in the checkpoint. */
  pass: Set<string>;
}

export type RoundEvent =
  | { type: 'roundStarted'; task: TaskId; round: number; roundId: string; selected: number; deadline: number }
  | { type: 'updateReceived'; task: TaskId; round: number; roundId: string; reported: number }
  | { type: 'roundEnded'; record: RoundRecord };
