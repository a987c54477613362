import { Decoder as SocketIoDecoder, Encoder as SocketIoEncoder, PacketType, type Packet } from 'socket.io-parser';
import { PROTOCOL_EVENT } from './version.ts';

const isBinary = (b: unknown): b is Uint8Array | ArrayBuffer => b instanceof Uint8Array || b instanceof ArrayBuffer;

/** A protocol message: the `huddle` event with one binary argument, on the main namespace, without an ack. */
function protocolBytes(packet: Packet): Uint8Array | ArrayBuffer | null {
  const d: unknown = packet.data;
  if (packet.type !== PacketType.EVENT || packet.nsp !== '/' || packet.id !== undefined || !Array.isArray(d) || d.length !== 2 || d[0] !== PROTOCOL_EVENT) return null;
  return isBinary(d[1]) ? d[1] : null;
}

/**
 * socket.io's parser sends a binary event as two WebSocket frames: a text header naming the event with a placeholder,
 * then the bytes. A protocol message goes as one binary frame here, the bytes as they are (not copied). Every other
 * packet is socket.io's own encoding.
 */
class Encoder extends SocketIoEncoder {
  override encode(packet: Packet): unknown[] {
    const bytes = protocolBytes(packet);
    return bytes ? [bytes] : super.encode(packet);
  }
}

/**
 * A binary frame is a protocol message unless socket.io's own decoder is waiting for a binary event's attachments
 * (a peer using socket.io's parser, or another binary event): frames keep their order on a connection, so that
 * cannot be mistaken.
 */
class Decoder extends SocketIoDecoder {
  override add(chunk: unknown): void {
    if (isBinary(chunk) && !(this as unknown as { reconstructor: unknown }).reconstructor) {
      this.emitReserved('decoded', { type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, chunk] });
      return;
    }
    super.add(chunk);
  }
}

/** The socket.io parser of the coordinator's servers and the SDK's client (`parser` option of both): one frame a message. */
export const protocolFrames = { Encoder, Decoder };
