/** Why a protocol step was refused. Codes are stable: the coordinator maps them to its own telemetry. */
export type SecAggErrorCode =
  | 'INVALID_STATE'
  | 'INVALID_MESSAGE'
  | 'INVALID_PARAMS'
  | 'WRONG_ROUND'
  | 'MISADDRESSED'
  | 'UNKNOWN_PARTICIPANT'
  | 'NOT_A_NEIGHBOUR'
  | 'DUPLICATE'
  | 'DECRYPT_FAILED'
  | 'ROSTER_INVALID'
  | 'WEAK_KEY'
  | 'INPUT_LENGTH'
  | 'INPUT_OUT_OF_FIELD'
  | 'TOO_FEW_PEERS'
  | 'TOO_FEW_SURVIVORS'
  | 'BOTH_SHARES_REQUESTED'
  | 'INCONSISTENT_REQUEST'
  | 'REJECTED'
  | 'TOO_FEW_CLIENTS'
  | 'INSUFFICIENT_SHARES'
  | 'RECONSTRUCTION_FAILED'
  | 'SIGNATURE_INVALID'
  | 'POLICY_REFUSED'
  | 'CONSISTENCY_FAILED'
  | 'BAD_SHARE'
  | 'UNSUPPORTED';

export class SecAggError extends Error {
  readonly code: SecAggErrorCode;
  /** The message without the code prefix. */
  readonly reason: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: SecAggErrorCode, message: string, details?: Record<string, unknown>) {
    super(`${code}: ${message}`);
    this.name = 'SecAggError';
    this.code = code;
    this.reason = message;
    this.details = details;
  }
}

/** The server gave up on the round: no sum will be produced, and no further message is accepted. */
export class SecAggAbort extends SecAggError {
  constructor(code: SecAggErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'SecAggAbort';
  }
}

export function fail(code: SecAggErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new SecAggError(code, message, details);
}
