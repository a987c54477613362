import { afterAll, describe, expect, it } from 'vitest';
import { CLIP_BIT_SCALE } from '@huddle/shared/aggregation';
import { decodeServerMessage, defaultTaskConfig, type ClientTransport, type SecureFit } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

/** Keeps the secure encoding of every fit request the client receives. */
function watchFitRequests(inner: ClientTransport, seen: SecureFit[]): ClientTransport {
  return {
    open: (h) =>
      inner.open({
        ...h,
        onOpen: () => h.onOpen(),
        onClose: (reason) => h.onClose(reason),
        onMessage: (bytes) => {
          const decoded = decodeServerMessage(bytes);
          if (decoded.ok && decoded.message.type === 'fitRequest' && decoded.message.secure) seen.push(decoded.message.secure);
          h.onMessage(bytes);
        },
      }),
    send: (b) => inner.send(b),
    close: () => inner.close(),
  };
}

describe('adaptive clipping under distributed DP over socket.io', () => {
  let fed: TestFederation | null = null;
  afterAll(async () => {
    await fed?.close();
  });

  it('the devices put the bit noise on the clip-bit count themselves; the rounds complete and the clip adapts', async () => {
    const base = defaultTaskConfig('readiness');
    const seen: SecureFit[] = [];
    fed = await startTestFederation({
      clients: 5,
      tasks: ['readiness'],
      wrap: (i, t) => (i === 1 ? watchFitRequests(t, seen) : t),
      config: {
        clientsPerRound: 5,
        minClients: 5,
        overSelection: 1,
        secureAggregation: { ...base.secureAggregation, enabled: true },
        privacy: { noise: 'distributed', noiseMultiplier: 1, delta: 1e-5, epsilonBudget: null, population: 5, adaptiveClipping: { targetQuantile: 0.5, learningRate: 0.2, bitNoiseStd: 1 } },
      },
    });
    const first = await fed.running.coordinator.runRound('readiness');
    const second = await fed.running.coordinator.runRound('readiness');
    for (const r of [first, second]) {
      expect(r.status, r.reason ?? '').toBe('completed');
      expect(r.secureAggregation).toBe(true);
    }
    expect(seen.length).toBe(2);
    // Five survivors at least, each adding 1 x 256 / sqrt(5): the count's noise std is the task's bitNoiseStd.
    for (const enc of seen) expect(enc.clipBitNoiseSigma).toBeCloseTo(CLIP_BIT_SCALE / Math.sqrt(5), 9);
    const clips = [first.privacy!.clip, second.privacy!.clip, fed.running.coordinator.taskState('readiness').config.fit.clipNorm];
    expect(clips.every((c) => Number.isFinite(c) && c > 0)).toBe(true);
    expect(first.privacy!.clip).not.toBe(second.privacy!.clip);
  }, 120_000);
});
