import { afterAll, describe, expect, it } from 'vitest';
import { parameterCount, weightManifest } from '@huddle/shared/model';
import { modelChecksum, type ClientTransport } from '@huddle/shared/protocol';
import { encodeWeights } from '@huddle/shared/model';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

/** Counts the bytes a client receives. */
function counting(inner: ClientTransport, counter: { down: number }): ClientTransport {
  return {
    open: (h) =>
      inner.open({
        onOpen: () => h.onOpen(),
        onClose: (r) => h.onClose(r),
        onMessage: (bytes) => {
          if (bytes instanceof Uint8Array) counter.down += bytes.byteLength;
          else if (bytes instanceof ArrayBuffer) counter.down += bytes.byteLength;
          h.onMessage(bytes);
        },
      }),
    send: (b) => inner.send(b),
    close: () => inner.close(),
  };
}

describe('a client never downloads the same model twice', () => {
  let fed: TestFederation;
  afterAll(async () => fed?.close().catch(() => undefined));

  it('after its first round, each client receives at most 1.1 x 4 x parameters bytes per round, and adopts only committed models', async () => {
    const counters = Array.from({ length: 6 }, () => ({ down: 0 }));
    fed = await startTestFederation({ clients: 6, tasks: ['injury'], config: { clientsPerRound: 6, minClients: 3, overSelection: 1 }, wrap: (i, t) => counting(t, counters[i - 1]!) });
    const { coordinator } = fed.running;
    const params = parameterCount(weightManifest(coordinator.taskState('injury').spec));
    const perRound: number[][] = [];
    for (let round = 1; round <= 3; round++) {
      counters.forEach((c) => (c.down = 0));
      const record = await coordinator.runRound('injury');
      expect(record.status).toBe('completed');
      // roundEnd is the round's last message to a client; give it time to arrive over the socket.
      await new Promise((r) => setTimeout(r, 300));
      perRound.push(counters.map((c) => c.down));
      const committed = coordinator.taskState('injury');
      expect(record.model).toEqual({ round, checksum: modelChecksum(encodeWeights(committed.weights)) });
      for (const client of fed.clients) {
        const held = client.globalModel('injury');
        expect(held?.round).toBe(round);
        expect(held?.checksum).toBe(record.model!.checksum);
        expect(Array.from(held!.weights)).toEqual(Array.from(committed.weights));
      }
    }
    console.log(`parameters ${params} (${4 * params} bytes); bytes down per client per round: ${perRound.map((r) => `[${r.join(', ')}]`).join(' ')}`);
    // The first round downloads the initial model and the new one; every later round only the new one.
    for (const [i, down] of perRound[0]!.entries()) expect(down).toBeGreaterThan(perRound[1]![i]! + 4 * params * 0.5);
    for (const round of perRound.slice(1)) for (const down of round) expect(down).toBeLessThanOrEqual(1.1 * 4 * params);
  });
});
