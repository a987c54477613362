import { describe, expect, it } from 'vitest';
import { StrikeLedger } from '../src/secagg/index.ts';
import { clientIds, consistencyRound, runToUnmask } from './secaggHarness.ts';

describe('strikes against clients caught sending bad shares', () => {
  it('a liar identified in each of two rounds is barred at a cap of 2; honest clients are never struck', async () => {
    const ledger = new StrikeLedger(2);
    for (let round = 0; round < 2; round++) {
      expect(ledger.isBarred('athlete-0000')).toBe(false);
      const r = await runToUnmask({ n: 6, vectorLength: 4, dropBeforeSign: new Set(clientIds(6)) });
      const proof = await consistencyRound(r.server, r.clients, r.request);
      for (const id of r.request.survivors) {
        const resp = await r.clients.get(id)!.unmask(proof);
        const lie = id === 'athlete-0000';
        r.server.acceptUnmaskResponse(lie ? { ...resp, selfMaskShares: resp.selfMaskShares.map((s) => ({ ...s, share: s.share.map((b) => b ^ 0xff) })) } : resp);
      }
      await r.server.finalize();
      ledger.record(r.server.cheaters);
    }
    expect(ledger.isBarred('athlete-0000')).toBe(true);
    expect(clientIds(6).slice(1).map((id) => ledger.strikes(id))).toEqual([0, 0, 0, 0, 0]);
    expect(() => new StrikeLedger(0)).toThrow(RangeError);
  });
});
