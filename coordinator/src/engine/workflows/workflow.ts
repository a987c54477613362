import type { FitAggregate } from '@huddle/shared/aggregation';
import type { Connection, ErrorCode } from '@huddle/shared/protocol';

/**
 * `released` on failure: whether anything computed from the clients' updates may have reached the coordinator or
 * anyone else (a secure sum whose unmasking began). A round that released nothing refunds its privacy charge.
 */
export type FitWorkflowResult = { ok: true; fit: FitAggregate; reported: string[] } | { ok: false; reason: string; reported: string[]; released: boolean };

/** What a workflow may do to a client besides its step messages. */
export interface WorkflowIo {
  reject(conn: Connection, code: ErrorCode, message: string, roundId?: string): void;
}
