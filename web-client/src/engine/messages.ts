import type { ClientEvent } from '@huddle/client-sdk';
import type { ContributionRecord, TaskId } from '../types.ts';
import type { ForecastResult } from './forecast.ts';
import type { PlanJob, PlanJobResult } from './planJob.ts';

/** One message this device sent to the coordinator, described for the athlete. */
export interface OutboxEntry {
  at: string;
  type: string;
  bytes: number;
  /** Plain-words description of the content. */
  summary: string;
  /** Contents that are safe and useful to show (never log values: there are none to show). */
  details: [string, string][];
  /** The round a message belongs to, and a secure-aggregation message's step. */
  roundId?: string;
  step?: string;
  /** The entry in plain words (engine/outboxWords.ts), shown first; `summary` and `details` go behind a disclosure. */
  plain?: string;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'offline';

/** Page -> worker. */
export type ToWorker =
  /** `key`: the vault key (a non-extractable CryptoKey, structured-cloned; never its bytes). */
  | { type: 'init'; origin: string; key: CryptoKey }
  | { type: 'participate'; tasks: TaskId[]; online: boolean }
  | { type: 'dataChanged' }
  | { type: 'forecast'; id: number; download: boolean }
  | { type: 'plan'; id: number; job: PlanJob }
  /** The privacy terms the SDK enforces on this device, in plain words (zod stays out of the page: CSP forbids eval). */
  | { type: 'describePolicy'; id: number }
  | { type: 'shutdown' };

/** Worker -> page. */
export type FromWorker =
  /**
   * `backend`: what trains on this device ('ready': the shared kernels; 'backend': tfjs, once the fallback loaded it).
   * `wasm`: the URL of tfjs's WebAssembly binary in use, for the service worker to keep offline.
   */
  | { type: 'ready' | 'backend'; backend: string; wasm: string | null }
  | { type: 'connection'; state: ConnectionState; detail?: string; tasks: TaskId[] }
  | { type: 'clientEvent'; event: ClientEvent }
  | { type: 'contribution'; last: ContributionRecord | null; recent: ContributionRecord[] }
  | { type: 'outbox'; entry: OutboxEntry }
  | { type: 'forecastResult'; id: number; result: ForecastResult; modelNotes: string[] }
  | { type: 'forecastError'; id: number; message: string }
  | { type: 'planResult'; id: number; result: PlanJobResult }
  | { type: 'planError'; id: number; message: string }
  | { type: 'policyLines'; id: number; lines: string[] }
  | { type: 'shutdownDone' }
  | { type: 'error'; message: string };
