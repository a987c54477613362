import { afterAll, describe, expect, it } from 'vitest';
import { parameterCount, weightManifest } from '@huddle/shared/model';
import { decodeServerMessage, defaultTaskConfig, modelChecksum, type ClientTransport, type TaskConfig } from '@huddle/shared/protocol';
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

/** Records the model versions whose weights a client receives (fit and evaluate requests that carry them). */
function modelDownloads(inner: ClientTransport, sink: { round: number; checksum: string; bytes: number }[]): ClientTransport {
  return {
    open: (h) =>
      inner.open({
        onOpen: () => h.onOpen(),
        onClose: (r) => h.onClose(r),
        onMessage: (bytes) => {
          const decoded = decodeServerMessage(bytes);
          if (decoded.ok && (decoded.message.type === 'fitRequest' || decoded.message.type === 'evaluateRequest') && decoded.message.weights) {
            sink.push({ ...decoded.message.model, bytes: decoded.message.weights.byteLength });
          }
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

  it('under secure aggregation too: a client that took part in the secure evaluation is not sent the candidate again to train', async () => {
    await fed?.close().catch(() => undefined);
    const received = Array.from({ length: 5 }, () => [] as { round: number; checksum: string; bytes: number }[]);
    const config: Partial<TaskConfig> = {
      clientsPerRound: 5,
      minClients: 5,
      overSelection: 1,
      secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 8_000 },
      fit: { ...defaultTaskConfig('readiness').fit, localEpochs: 1 },
    };
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config, days: 120, wrap: (i, t) => modelDownloads(t, received[i - 1]!) });
    const { coordinator } = fed.running;
    await coordinator.waitForClients('readiness', 5, 30_000);
    const modelBytes = 4 * coordinator.taskState('readiness').weights.length;
    for (let round = 1; round <= 3; round++) {
      const record = await coordinator.runRound('readiness');
      expect(record.status, record.reason ?? '').toBe('completed');
      expect(record.secureAggregation).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 300));
    console.log(`secure rounds, models downloaded per client: ${received.map((r) => r.map((m) => m.round).join('+')).join(' ')}`);
    for (const models of received) {
      // The initial model, then each round's candidate once (to evaluate it, then train from it).
      expect(models.map((m) => m.round)).toEqual([0, 1, 2, 3]);
      expect(new Set(models.map((m) => `${m.round}/${m.checksum}`)).size).toBe(models.length);
      for (const m of models) expect(m.bytes).toBe(modelBytes);
    }
  });
});
