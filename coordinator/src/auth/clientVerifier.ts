import type { TaskId } from '@huddle/shared/model';
import { helloSigningBytes, messageSigningBytes, type Envelope as SealedEnvelope } from '@huddle/shared/protocol';
import { sha256Native, verifyEd25519 } from './ed25519.ts';
import type { SecurityStore } from './records.ts';

export const CHALLENGE_NONCE_BYTES = 32;

export type RefusalReason = 'bad-nonce' | 'missing-signature' | 'bad-signature' | 'unknown-client' | 'revoked' | 'replayed' | 'not-authenticated';

const EXPLANATIONS: Record<RefusalReason, string> = {
  'bad-nonce': `the challenge nonce must be ${CHALLENGE_NONCE_BYTES} bytes`,
  'missing-signature': 'the message carries no signature',
  'bad-signature': 'the signature does not verify with the enrolled key',
  'unknown-client': 'no enrollment has this client id',
  revoked: 'this enrollment was revoked',
  replayed: 'the sequence number is not greater than the last one accepted on this connection',
  'not-authenticated': 'the connection has no verified hello',
};

export function explainRefusal(reason: RefusalReason): string {
  return EXPLANATIONS[reason];
}

export type HelloCheck = { ok: true; publicKey: Uint8Array; tasks: TaskId[]; allowedTasks: TaskId[] } | { ok: false; reason: RefusalReason };
export type MessageCheck = { ok: true; body: Uint8Array; seq: number } | { ok: false; reason: RefusalReason };

export interface ConnectionKeyState {
  publicKey: Uint8Array | null;
  nonce: Uint8Array;
  /** Highest seq accepted so far on this connection (0 before any). */
  lastSeq: number;
}

/**
 * Checks clients against their enrollments. `verifyMessage` is pure: after an `ok`, the caller
 * records `seq` as the connection's `lastSeq`.
 */
export interface EnrollmentVerifierOptions {
  /**
   * Remember the key imported to check a hello (default true). A cluster leader checks every client's hello but
   * verifies later messages only of the clients on its own node (the others' nodes do): it imports those at join.
   */
  keepHelloKeys?: boolean;
}

export class EnrollmentVerifier {
  private readonly keepHelloKeys: boolean;

  constructor(
    private readonly store: Pick<SecurityStore, 'enrollments'>,
    options: EnrollmentVerifierOptions = {},
  ) {
    this.keepHelloKeys = options.keepHelloKeys ?? true;
  }

  verifyHello(clientId: string, nonce: Uint8Array, signature: Uint8Array | undefined, tasks: readonly string[]): HelloCheck {
    if (nonce.length !== CHALLENGE_NONCE_BYTES) return { ok: false, reason: 'bad-nonce' };
    if (!signature) return { ok: false, reason: 'missing-signature' };
    const enrollment = this.store.enrollments.byClientId(clientId);
    if (!enrollment) return { ok: false, reason: 'unknown-client' };
    if (enrollment.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (!verifyEd25519(enrollment.publicKey, helloSigningBytes(nonce, clientId, tasks), signature, this.keepHelloKeys)) {
      return { ok: false, reason: 'bad-signature' };
    }
    return { ok: true, publicKey: enrollment.publicKey, tasks: enrollment.tasks, allowedTasks: enrollment.tasks };
  }

  verifyMessage(state: ConnectionKeyState, envelope: SealedEnvelope): MessageCheck {
    return verifySignedMessage(state, envelope);
  }

  /** False once the enrollment was revoked by an admin or erased by the athlete. */
  isActive(clientId: string): boolean {
    const enrollment = this.store.enrollments.byClientId(clientId);
    return enrollment !== null && enrollment.revokedAt === null;
  }
}

/** A joined client's later message: signed with its enrollment key over the connection's nonce, seq and the body's SHA-256. */
export function verifySignedMessage(state: ConnectionKeyState, envelope: SealedEnvelope): MessageCheck {
  if (!state.publicKey) return { ok: false, reason: 'not-authenticated' };
  if (!Number.isSafeInteger(envelope.seq) || envelope.seq < 1 || envelope.seq <= state.lastSeq) return { ok: false, reason: 'replayed' };
  if (!envelope.sig) return { ok: false, reason: 'missing-signature' };
  if (!verifyEd25519(state.publicKey, messageSigningBytes(state.nonce, envelope.seq, envelope.body, sha256Native), envelope.sig)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true, body: envelope.body, seq: envelope.seq };
}
