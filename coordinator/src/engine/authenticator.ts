import type { TaskId } from '@huddle/shared/model';
import type { Envelope } from '@huddle/shared/protocol';

export interface ConnectionAuthState {
  clientId: string;
  publicKey: Uint8Array | null;
  nonce: Uint8Array;
  lastSeq: number;
}

export type HelloVerdict = { ok: true; publicKey: Uint8Array | null; allowedTasks: TaskId[] | null } | { ok: false; reason: string };
export type MessageVerdict = { ok: true } | { ok: false; reason: string };

/** Decides who may join and checks every later message of a joined client. */
export interface ClientAuthenticator {
  /** `tasks` is the hello's task list, which the signature covers. */
  verifyHello(clientId: string, nonce: Uint8Array, signature: Uint8Array | undefined, tasks: readonly string[]): HelloVerdict;
  verifyMessage(state: ConnectionAuthState, envelope: Envelope): MessageVerdict;
  /** False once the client was revoked or erased its enrollment. */
  isActive(clientId: string): boolean;
}

/**
 * No enrollment: any client id may join (the simulator, the demo, closed test networks).
 * Replays within a connection are still refused.
 */
export const openAuthenticator: ClientAuthenticator = {
  verifyHello: () => ({ ok: true, publicKey: null, allowedTasks: null }),
  verifyMessage: () => ({ ok: true }),
  isActive: () => true,
};
