import { describe, expect, it } from 'vitest';
import {
  SecAggAbort,
  SecAggError,
  suggestedNeighbours,
  tweetnaclX25519,
  webCryptoX25519,
  type UnmaskRequestMessage,
} from '../src/secagg/index.ts';
import { clientIds, runRound, runToUnmask, survivableDropouts } from './secaggHarness.ts';

const expectExactSum = (r: { sum: Uint32Array; expected: Uint32Array }) => {
  expect(r.sum.length).toBe(r.expected.length);
  expect(Buffer.from(r.sum.buffer).equals(Buffer.from(r.expected.buffer))).toBe(true);
};

describe('secagg end to end: complete graph (classic SecAgg, k = n - 1)', () => {
  it('no dropouts', async () => {
    const r = await runRound({ n: 12, vectorLength: 1000 });
    expect(r.roster.params.neighbours).toBe(11);
    expect(r.request.dropped).toEqual([]);
    expectExactSum(r);
  });

  it('one dropout after key sharing', async () => {
    const ids = clientIds(12);
    const r = await runRound({ n: 12, vectorLength: 1000, dropAfterShare: new Set([ids[5]!]) });
    expect(r.request.dropped).toEqual([ids[5]]);
    expect(r.request.survivors).toHaveLength(11);
    expectExactSum(r);
  });

  it('30% dropouts after key sharing (n = 40, default t = 27)', async () => {
    const ids = clientIds(40);
    const dropped = new Set(ids.filter((_, i) => i % 10 < 3));
    const r = await runRound({ n: 40, vectorLength: 2000, dropAfterShare: dropped });
    expect(r.roster.params).toMatchObject({ neighbours: 39, threshold: 27 });
    expect(r.request.dropped).toHaveLength(12);
    expectExactSum(r);
  });

  it('dropouts at every stage: before sharing, after sharing, and survivors that never answer', async () => {
    const ids = clientIds(15);
    const r = await runRound({
      n: 15,
      vectorLength: 300,
      threshold: 8,
      dropBeforeShare: new Set([ids[0]!]),
      dropAfterShare: new Set([ids[1]!, ids[2]!]),
      dropBeforeUnmask: new Set([ids[3]!, ids[4]!]),
    });
    expect(r.relays.has(ids[0]!)).toBe(false);
    expect(r.request.dropped).toEqual([ids[1], ids[2]]);
    expect(r.request.survivors).toContain(ids[3]);
    expectExactSum(r);
  });

  it('clients on the WebCrypto and tweetnacl X25519 backends interoperate', async () => {
    const r = await runRound({
      n: 6,
      vectorLength: 64,
      dropAfterShare: new Set([clientIds(6)[2]!]),
      threshold: 3,
      backendFor: (i) => (i % 2 === 0 ? tweetnaclX25519() : webCryptoX25519()),
    });
    expectExactSum(r);
  });
});

describe('secagg end to end: sparse SecAgg+ graph', () => {
  it('n = 40, k = 8: no dropouts, one dropout, 30% dropouts', async () => {
    const none = await runRound({ n: 40, vectorLength: 500, neighbours: 8 });
    expect(none.roster.params).toMatchObject({ neighbours: 8, threshold: 6 });
    expectExactSum(none);

    const one = await runRound({
      n: 40,
      vectorLength: 500,
      neighbours: 8,
      dropAfterShare: (roster) => survivableDropouts(roster, 1),
    });
    expect(one.request.dropped).toHaveLength(1);
    expectExactSum(one);

    // 30% dropouts need a threshold leaving room in each 8-neighbourhood: t = 5 (> k/2) tolerates 3 dropped neighbours.
    const many = await runRound({
      n: 40,
      vectorLength: 500,
      neighbours: 8,
      threshold: 5,
      dropAfterShare: (roster) => survivableDropouts(roster, 12),
    });
    expect(many.request.dropped).toHaveLength(12);
    expectExactSum(many);
  });

  it('odd k with odd n is bumped to k + 1 so the graph stays regular', async () => {
    const r = await runRound({ n: 21, vectorLength: 10, neighbours: 7 });
    expect(r.roster.params.neighbours).toBe(8);
    expectExactSum(r);
  });

  // The full n = 1000 round runs in `npm run bench -- secagg --clients 1000`; here a sparse graph at a size
  // where k = 2 log2(n) is well below n - 1 (the round costs n * k key agreements).
  it('n = 250 with k = 2 log2(n) = 16 and 5% dropouts (k = 20 at n = 1000)', async () => {
    expect(suggestedNeighbours(1000)).toBe(20);
    const k = suggestedNeighbours(250);
    expect(k).toBe(16);
    const r = await runRound({
      n: 250,
      vectorLength: 50,
      neighbours: k,
      dropAfterShare: (roster) => survivableDropouts(roster, 12),
    });
    expect(r.roster.params).toMatchObject({ neighbours: 16, threshold: 11 });
    expect(r.request.survivors).toHaveLength(238);
    for (const share of r.shareKeys) expect(share.shares).toHaveLength(16);
    expectExactSum(r);
  });
});

describe('secagg aborts', () => {
  it('fewer than t survivors: the server abandons before asking for shares, and clients refuse such a request', async () => {
    const ids = clientIds(10);
    const trace = await (async () => {
      try {
        await runToUnmask({ n: 10, vectorLength: 16, dropAfterShare: new Set(ids.slice(0, 5)) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(trace).toBeInstanceOf(SecAggAbort);
    expect((trace as SecAggAbort).code).toBe('TOO_FEW_SURVIVORS');
  });

  it('a client never reveals a share when the survivor set is below t', async () => {
    const r = await runToUnmask({ n: 10, vectorLength: 16, dropBeforeUnmask: new Set(clientIds(10)) });
    // t = 7: pretend only 6 survived (a server trying to isolate a small group).
    const survivors = r.request.survivors.slice(0, 6);
    const forged: UnmaskRequestMessage = {
      ...r.request,
      survivors,
      dropped: r.request.survivors.slice(6),
    };
    for (const id of survivors) {
      const client = r.clients.get(id)!;
      await expect(client.unmask(forged)).rejects.toMatchObject({ code: 'TOO_FEW_SURVIVORS' });
      expect(client.phase).toBe('failed');
    }
  });

  it('too few survivors within one neighbourhood of a sparse graph aborts', async () => {
    let thrown: unknown;
    try {
      await runToUnmask({
        n: 30,
        vectorLength: 8,
        neighbours: 6,
        dropAfterShare: async (roster) => {
          // Drop three of one client's six neighbours: it keeps 3 < t = 5.
          const { NeighbourGraph } = await import('../src/secagg/index.ts');
          const graph = await NeighbourGraph.build(roster.roundId, roster.participants, roster.params.neighbours);
          return new Set(graph.neighbours(roster.participants[0]!.clientId).slice(0, 3));
        },
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SecAggAbort);
    expect((thrown as SecAggAbort).code).toBe('TOO_FEW_SURVIVORS');
  });

  it('too few unmask responses: finalize aborts with INSUFFICIENT_SHARES and keeps refusing', async () => {
    const ids = clientIds(10);
    const r = await runToUnmask({ n: 10, vectorLength: 16, dropBeforeUnmask: new Set(ids.slice(0, 4)) });
    await expect(r.server.finalize()).rejects.toMatchObject({ name: 'SecAggAbort', code: 'INSUFFICIENT_SHARES' });
    expect(r.server.phase).toBe('aborted');
    await expect(r.server.finalize()).rejects.toBeInstanceOf(SecAggAbort);
  });

  it('too few advertised clients aborts at the roster', async () => {
    const { SecAggServer, SecAggClient } = await import('../src/secagg/index.ts');
    const server = new SecAggServer({ roundId: 'tiny', vectorLength: 4, minClients: 5 });
    for (const id of clientIds(4)) {
      await server.acceptAdvertiseKeys(await new SecAggClient({ roundId: 'tiny', clientId: id }).advertiseKeys());
    }
    await expect(server.roster()).rejects.toMatchObject({ code: 'TOO_FEW_CLIENTS' });
    expect(() => server.relay()).toThrow(SecAggError);
  });
});
