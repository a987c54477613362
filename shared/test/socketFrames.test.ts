import { Decoder as SocketIoDecoder, Encoder as SocketIoEncoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_EVENT, protocolFrames } from '../src/protocol/index.ts';

const decodeAll = (frames: unknown[]): Packet[] => {
  const decoder = new protocolFrames.Decoder();
  const out: Packet[] = [];
  decoder.on('decoded', (p: Packet) => out.push(p));
  frames.forEach((f) => decoder.add(f));
  return out;
};

describe('protocolFrames: one WebSocket frame per protocol message', () => {
  const bytes = new Uint8Array(40_000).fill(9);
  const message: Packet = { type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, bytes] };

  it('encodes a protocol message as its bytes alone, not copied, where socket.io sends a header and an attachment', () => {
    const frames = new protocolFrames.Encoder().encode(message);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toBe(bytes);
    expect(new SocketIoEncoder().encode({ ...message })).toHaveLength(2);
    expect(decodeAll(frames)).toEqual([{ type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, bytes] }]);
  });

  it("leaves every other packet to socket.io's own encoding", () => {
    const others: Packet[] = [
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
      { type: PacketType.EVENT, nsp: '/', data: ['other', bytes] },
      { type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, 'text'] },
      { type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, bytes], id: 3 },
      { type: PacketType.EVENT, nsp: '/admin', data: [PROTOCOL_EVENT, bytes] },
      { type: PacketType.DISCONNECT, nsp: '/' },
    ];
    for (const p of others) {
      const frames = new protocolFrames.Encoder().encode({ ...p });
      expect(frames).toEqual(new SocketIoEncoder().encode({ ...p }));
      expect(decodeAll(frames)).toHaveLength(1);
    }
  });

  it("decodes a peer on socket.io's own parser: a binary event's attachment is not taken for a protocol message", () => {
    const theirs = new SocketIoEncoder().encode({ ...message });
    const decoded = decodeAll([...theirs, bytes]);
    expect(decoded).toHaveLength(2);
    expect(decoded[0]).toMatchObject({ type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, bytes] });
    expect(decoded[1]).toEqual({ type: PacketType.EVENT, nsp: '/', data: [PROTOCOL_EVENT, bytes] });
    const plain = new SocketIoDecoder();
    expect(() => plain.add(bytes)).toThrow(/not reconstructing/);
  });
});
