import type { TaskId } from '@huddle/shared/model';
import type { PrivacyLedger } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';
import type { Logger } from '@huddle/shared/util';
import type { SecurityStore } from '../auth/records.ts';
import type { CoachTables } from '../coach/records.ts';
import type { RoleChecker } from '../auth/roles.ts';
import type { RoundEventStream } from '../dashboard/roundEventStream.ts';
import type { BucketRate } from '../limits/tokenBucket.ts';
import type { AuditorOptions } from './auditorRoutes.ts';

/** What the protected routes need from durable storage; `SqliteStore` provides all of it. */
export interface ProtectedStore extends SecurityStore {
  loadLedger(task: TaskId): PrivacyLedger;
  loadTaskConfig(task: TaskId): TaskConfig | null;
  saveTaskConfig(config: TaskConfig): TaskConfig;
  /** Coaches and the encrypted relay (docs/coach.md); its routes are mounted only when present. */
  readonly coaches?: CoachTables;
}

export interface AppAuthOptions {
  store: ProtectedStore;
  /** Defaults to checking bearer tokens against `store.credentials`. */
  check?: RoleChecker;
  /** Base of invite join links, e.g. "https://huddle.example.org"; defaults to the request's own origin. */
  publicUrl?: string;
  /**
   * Called inside the transaction that persists a new task configuration; throwing refuses the
   * change (nothing is saved). The engine applies the config from the next round.
   */
  onTaskConfig?: (task: TaskId, config: TaskConfig) => void;
  /** Called after an enrollment was revoked or erased, e.g. to drop the client's live connection. */
  onEnrollmentEnded?: (clientId: string) => void;
  /** The dashboard's live feed; created from the coordinator when absent. Close it on shutdown. */
  events?: RoundEventStream;
  /** Per-address limits for /api and, stricter, for enrollment; false turns them off (tests). */
  rateLimits?: false | { api?: BucketRate; enroll?: BucketRate };
  now?: () => number;
  logger?: Logger;
  /** An independent auditor whose countersignatures of enrollments this coordinator stores and relays. */
  auditor?: AuditorOptions;
}

export interface AuthContext {
  store: ProtectedStore;
  check: RoleChecker;
  hosted: () => TaskId[];
  now: () => number;
  logger: Logger;
  publicUrl: string | undefined;
  onTaskConfig: ((task: TaskId, config: TaskConfig) => void) | undefined;
  onEnrollmentEnded: ((clientId: string) => void) | undefined;
}
