import type { ClientMessage, MessageOf, ServerMessageInput } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';

/** A joined client's message that belongs to a round (routed by `roundId`). */
export type RoundMessage = MessageOf<ClientMessage, 'fitResult' | 'evaluateResult' | 'secagg' | 'decline' | 'statisticResult'>;

/** What the gateway tells the engine, after challenge, envelope, sequence, signature and schema checks. */
export type GatewayEvent =
  /** `enrollmentKey`: the Ed25519 key the client's hello was verified with (enrolled federations), else null. */
  | { type: 'joined'; client: ConnectedClient; sdk: string; enrollmentKey: Uint8Array | null }
  | { type: 'roundMessage'; client: ConnectedClient; message: RoundMessage }
  | { type: 'left'; client: ConnectedClient; reason: string };

/**
 * A hook on a joined client's typed traffic (the simulator's faults and virtual send times). Real
 * deployments have none; the gateway then sends and delivers at once.
 */
export interface GatewayTap {
  /** Before a message goes to a joined client; false withholds it (a device that never receives it). */
  outbound(clientId: string, message: ServerMessageInput): boolean;
  /** A joined client's verified message; the tap calls `deliver` when the engine should see it, in order. */
  inbound(clientId: string, message: Exclude<ClientMessage, { type: 'hello' }>, deliver: () => void): void;
  /** The client's connection closed: it answers nothing more. */
  left(clientId: string): void;
}
