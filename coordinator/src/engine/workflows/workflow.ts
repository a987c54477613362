import type { FitAggregate } from '@huddle/shared/aggregation';
import type { Connection, ErrorCode } from '@huddle/shared/protocol';

export type FitWorkflowResult = { ok: true; fit: FitAggregate; reported: string[] } | { ok: false; reason: string; reported: string[] };

/** What a workflow may do to a client besides its step messages. */
export interface WorkflowIo {
  reject(conn: Connection, code: ErrorCode, message: string, roundId?: string): void;
}
