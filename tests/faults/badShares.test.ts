import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SecAggClient } from '@huddle/shared/secagg';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

const TASK = 'readiness' as const;
const LIAR = 'client-2';

describe('a client revealing bad Shamir shares is identified by a real coordinator, and the round completes', () => {
  let fed: TestFederation | null = null;
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => fed?.close());

  it('round 1 completes with every input summed; the liar, struck out (cap 1), is refused from round 2, which completes too', async () => {
    // The liar's device is genuine except that it flips one byte of every share it reveals (its messages stay signed).
    const honestUnmask = SecAggClient.prototype.unmask;
    vi.spyOn(SecAggClient.prototype, 'unmask').mockImplementation(async function (this: SecAggClient, proof) {
      const response = await honestUnmask.call(this, proof);
      if (this.clientId !== LIAR) return response;
      const flip = (s: Uint8Array) => Uint8Array.from(s, (b, i) => (i === 0 ? b ^ 1 : b));
      return { ...response, selfMaskShares: response.selfMaskShares.map((s) => ({ ...s, share: flip(s.share) })), maskKeyShares: response.maskKeyShares.map((s) => ({ ...s, share: flip(s.share) })) };
    });
    fed = await startTestFederation({
      clients: 6,
      tasks: [TASK],
      days: 120,
      config: { clientsPerRound: 6, minClients: 5, overSelection: 1, secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 4_000, maxStrikesPerClient: 1 } },
    });
    await fed.running.coordinator.waitForClients(TASK, 6, 30_000);
    const first = await fed.running.coordinator.runRound(TASK);
    expect(first.reason).toBeNull();
    expect(first.status).toBe('completed');
    // Its masked input is in the sum; only its shares were left out.
    expect(first.reported).toContain(LIAR);
    expect(first.reported).toHaveLength(6);
    const second = await fed.running.coordinator.runRound(TASK);
    expect(second.reason).toBeNull();
    expect(second.status).toBe('completed');
    expect(second.reported).not.toContain(LIAR);
    expect(second.reported).toHaveLength(5);
  });
});
