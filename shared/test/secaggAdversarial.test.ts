import { describe, expect, it } from 'vitest';
import {
  SecAggClient,
  SecAggError,
  SecAggServer,
  type EncryptedShares,
  type RelayMessage,
  type RosterMessage,
} from '../src/secagg/index.ts';
import { clientIds, consistencyRound, plainSum, randomVector, runRound, runToUnmask } from './secaggHarness.ts';

/** A fresh honest round stopped right after the server built the relays. */
async function toRelay(n = 6, roundId = 'adv-round', neighbours?: number) {
  const ids = clientIds(n);
  const server = new SecAggServer({ roundId, vectorLength: 8, ...(neighbours ? { neighbours } : {}) });
  const clients = new Map(ids.map((id) => [id, new SecAggClient({ roundId, clientId: id })]));
  for (const c of clients.values()) await server.acceptAdvertiseKeys(await c.advertiseKeys());
  const roster = await server.roster();
  const shareKeys = await Promise.all([...clients.values()].map((c) => c.shareKeys(roster)));
  for (const m of shareKeys) server.acceptShareKeys(m);
  return { ids, server, clients, roster, shareKeys, relays: server.relay() };
}

const withShares = (relay: RelayMessage, shares: EncryptedShares[]): RelayMessage => ({ ...relay, shares });
const flipByte = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i] = c[i]! ^ 0x01;
  return c;
};

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(SecAggError);
  await expect(p).rejects.toMatchObject({ code });
}

describe('secagg client rejects tampered, replayed and misaddressed ciphertexts', () => {
  it('tampered ciphertext -> DECRYPT_FAILED, and the client is out for the round', async () => {
    const { ids, clients, relays } = await toRelay();
    const victim = ids[0]!;
    const relay = relays.get(victim)!;
    const [first, ...rest] = relay.shares;
    const tampered = withShares(relay, [{ ...first!, box: flipByte(first!.box, 40) }, ...rest]);
    await expectCode(clients.get(victim)!.maskInput(new Uint32Array(8), tampered), 'DECRYPT_FAILED');
    expect(clients.get(victim)!.phase).toBe('failed');
    await expectCode(clients.get(victim)!.maskInput(new Uint32Array(8), relay), 'INVALID_STATE');
  });

  it('tampered nonce or sender header -> DECRYPT_FAILED', async () => {
    const { ids, clients, relays } = await toRelay();
    const relay = relays.get(ids[1]!)!;
    const [first, second, ...rest] = relay.shares;
    await expectCode(
      clients.get(ids[1]!)!.maskInput(new Uint32Array(8), withShares(relay, [{ ...first!, nonce: flipByte(first!.nonce, 0) }, second!, ...rest])),
      'DECRYPT_FAILED',
    );
    const again = await toRelay();
    const r2 = again.relays.get(again.ids[1]!)!;
    const [a, b, ...others] = r2.shares;
    // Claim a's ciphertext came from b: decrypting under key(b, recipient) fails.
    await expectCode(
      again.clients.get(again.ids[1]!)!.maskInput(new Uint32Array(8), withShares(r2, [{ ...a!, from: b!.from }, ...others])),
      'DECRYPT_FAILED',
    );
  });

  it('ciphertext from another round -> WRONG_ROUND (or DECRYPT_FAILED once relabelled)', async () => {
    const one = await toRelay(6, 'round-A');
    const two = await toRelay(6, 'round-B');
    const id = one.ids[2]!;
    const relay = one.relays.get(id)!;
    const foreign = two.relays.get(id)!.shares[0]!;
    const replaced = relay.shares.map((s) => (s.from === foreign.from ? foreign : s));
    await expectCode(one.clients.get(id)!.maskInput(new Uint32Array(8), withShares(relay, replaced)), 'WRONG_ROUND');

    const three = await toRelay(6, 'round-C');
    const relay3 = three.relays.get(id)!;
    const mixed = relay3.shares.map((s) => (s.from === foreign.from ? { ...foreign, roundId: 'round-C' } : s));
    await expectCode(three.clients.get(id)!.maskInput(new Uint32Array(8), withShares(relay3, mixed)), 'DECRYPT_FAILED');

    await expectCode(two.clients.get(id)!.maskInput(new Uint32Array(8), { ...two.relays.get(id)!, roundId: 'round-A' }), 'WRONG_ROUND');
  });

  it('misaddressed ciphertext -> MISADDRESSED; reflected ciphertext -> MISADDRESSED from the sealed ids', async () => {
    const { ids, clients, relays, shareKeys } = await toRelay();
    const [u, v, w] = [ids[0]!, ids[1]!, ids[2]!];
    const forW = relays.get(w)!.shares.find((s) => s.from === u)!;
    const relayV = relays.get(v)!;
    await expectCode(
      clients.get(v)!.maskInput(new Uint32Array(8), withShares(relayV, relayV.shares.map((s) => (s.from === u ? forW : s)))),
      'MISADDRESSED',
    );
    await expectCode(clients.get(w)!.maskInput(new Uint32Array(8), { ...relays.get(w)!, to: v }), 'MISADDRESSED');

    // u's own ciphertext for v, bounced back to u as if v had sent it: same pairwise key, but the sealed ids differ.
    const fromUtoV = shareKeys.find((m) => m.clientId === u)!.shares.find((s) => s.to === v)!;
    const reflected = { ...fromUtoV, from: v, to: u };
    const relayU = relays.get(u)!;
    await expectCode(
      clients.get(u)!.maskInput(new Uint32Array(8), withShares(relayU, relayU.shares.map((s) => (s.from === v ? reflected : s)))),
      'MISADDRESSED',
    );
  });

  it('replayed ciphertext within a relay -> DUPLICATE; a second relay -> INVALID_STATE', async () => {
    const { ids, clients, relays } = await toRelay();
    const relay = relays.get(ids[3]!)!;
    await expectCode(
      clients.get(ids[3]!)!.maskInput(new Uint32Array(8), withShares(relay, [...relay.shares, relay.shares[0]!])),
      'DUPLICATE',
    );
    const ok = clients.get(ids[4]!)!;
    await ok.maskInput(new Uint32Array(8), relays.get(ids[4]!)!);
    await expectCode(ok.maskInput(new Uint32Array(8), relays.get(ids[4]!)!), 'INVALID_STATE');
  });

  it('ciphertext from a non-neighbour (sparse graph) -> NOT_A_NEIGHBOUR', async () => {
    const { ids, clients, relays, shareKeys } = await toRelay(12, 'sparse', 4);
    const v = ids[0]!;
    const relay = relays.get(v)!;
    const senders = new Set(relay.shares.map((s) => s.from));
    const stranger = shareKeys.find((m) => m.clientId !== v && !senders.has(m.clientId))!;
    const forged = { ...stranger.shares[0]!, to: v };
    await expectCode(clients.get(v)!.maskInput(new Uint32Array(8), withShares(relay, [...relay.shares, forged])), 'NOT_A_NEIGHBOUR');
  });

  it('fewer than t neighbours relayed -> TOO_FEW_PEERS', async () => {
    const { ids, clients, relays, roster } = await toRelay();
    const relay = relays.get(ids[0]!)!;
    const kept = relay.shares.slice(0, roster.params.threshold - 1);
    await expectCode(clients.get(ids[0]!)!.maskInput(new Uint32Array(8), withShares(relay, kept)), 'TOO_FEW_PEERS');
  });

  it('input of the wrong length -> INPUT_LENGTH', async () => {
    const { ids, clients, relays } = await toRelay();
    await expectCode(clients.get(ids[0]!)!.maskInput(new Uint32Array(9), relays.get(ids[0]!)!), 'INPUT_LENGTH');
  });
});

describe('secagg client checks the roster', () => {
  async function advertised(n = 5, roundId = 'roster-round') {
    const ids = clientIds(n);
    const server = new SecAggServer({ roundId, vectorLength: 4 });
    const clients = ids.map((id) => new SecAggClient({ roundId, clientId: id }));
    for (const c of clients) await server.acceptAdvertiseKeys(await c.advertiseKeys());
    return { clients, roster: await server.roster() };
  }

  it('substituted own key, reused key, unsorted ids -> ROSTER_INVALID', async () => {
    const { clients, roster } = await advertised();
    const [p0, p1, ...rest] = roster.participants;
    const swapped: RosterMessage = { ...roster, participants: [{ ...p0!, maskPublicKey: p1!.maskPublicKey }, p1!, ...rest] };
    await expectCode(clients[0]!.shareKeys(swapped), 'ROSTER_INVALID');
    const reused: RosterMessage = { ...roster, participants: [p0!, { ...p1!, encPublicKey: p0!.encPublicKey }, ...rest] };
    await expectCode(clients[2]!.shareKeys(reused), 'ROSTER_INVALID');
    const unsorted: RosterMessage = { ...roster, participants: [p1!, p0!, ...rest] };
    await expectCode(clients[3]!.shareKeys(unsorted), 'ROSTER_INVALID');
  });

  it('roster for another round -> WRONG_ROUND; insecure threshold -> INVALID_PARAMS; malformed -> INVALID_MESSAGE', async () => {
    const { clients, roster } = await advertised();
    await expectCode(clients[0]!.shareKeys({ ...roster, roundId: 'other' }), 'WRONG_ROUND');
    await expectCode(clients[1]!.shareKeys({ ...roster, params: { ...roster.params, threshold: 2 } }), 'INVALID_PARAMS');
    const [p0, ...rest] = roster.participants;
    await expectCode(clients[2]!.shareKeys({ ...roster, participants: [{ ...p0!, encPublicKey: new Uint8Array(31) }, ...rest] }), 'INVALID_MESSAGE');
  });

  it('a local policy refuses a too-small neighbourhood', async () => {
    const roundId = 'policy';
    const server = new SecAggServer({ roundId, vectorLength: 4, neighbours: 2 });
    const clients = clientIds(8).map((id) => new SecAggClient({ roundId, clientId: id, policy: { minNeighbours: 4 } }));
    for (const c of clients) await server.acceptAdvertiseKeys(await c.advertiseKeys());
    await expectCode(clients[0]!.shareKeys(await server.roster()), 'POLICY_REFUSED');
  });
});

describe('secagg client never reveals both shares of a peer', () => {
  it('refuses a request listing a peer as survivor and dropped', async () => {
    const r = await runToUnmask({ n: 8, vectorLength: 8, dropBeforeSign: new Set(clientIds(8)) });
    const [me, peer] = r.request.survivors;
    const both = { ...r.request, dropped: [...r.request.dropped, peer!] };
    await expectCode(r.clients.get(me!)!.checkSurvivors(both), 'BOTH_SHARES_REQUESTED');
  });

  it('answers at most once: a second request flipping a peer to dropped is refused', async () => {
    const r = await runToUnmask({ n: 8, vectorLength: 8, dropBeforeSign: new Set(clientIds(8)) });
    const [me, peer] = r.request.survivors;
    const proof = await consistencyRound(r.server, r.clients, r.request);
    const first = await r.clients.get(me!)!.unmask(proof);
    expect(first.selfMaskShares.map((s) => s.owner)).toContain(peer);
    expect(first.maskKeyShares).toEqual([]);
    const flipped = { ...r.request, survivors: r.request.survivors.filter((id) => id !== peer), dropped: [peer!] };
    await expectCode(r.clients.get(me!)!.checkSurvivors(flipped), 'INVALID_STATE');
    await expectCode(r.clients.get(me!)!.unmask({ ...proof, survivors: flipped.survivors, dropped: flipped.dropped }), 'INVALID_STATE');
  });

  it('each response holds one share per peer, of the kind matching the peer status', async () => {
    const ids = clientIds(10);
    const r = await runRound({ n: 10, vectorLength: 8, threshold: 6, dropAfterShare: new Set([ids[0]!, ids[1]!]) });
    for (const resp of r.responses) {
      const owners = [...resp.selfMaskShares, ...resp.maskKeyShares].map((s) => s.owner);
      expect(new Set(owners).size).toBe(owners.length);
      for (const s of resp.selfMaskShares) expect(r.request.survivors).toContain(s.owner);
      for (const s of resp.maskKeyShares) expect(r.request.dropped).toContain(s.owner);
    }
  });

  it('refuses inconsistent requests: itself dropped, unknown ids, a neighbour that never shared', async () => {
    const ids = clientIds(8);
    const r = await runToUnmask({ n: 8, vectorLength: 8, threshold: 5, dropBeforeShare: new Set([ids[7]!]), dropBeforeSign: new Set(ids) });
    const me = r.request.survivors[0]!;
    const meDropped = { ...r.request, survivors: r.request.survivors.slice(1), dropped: [...r.request.dropped, me] };
    await expectCode(r.clients.get(me)!.checkSurvivors(meDropped), 'INCONSISTENT_REQUEST');
    const stranger = { ...r.request, dropped: ['mallory'] };
    await expectCode(r.clients.get(r.request.survivors[1]!)!.checkSurvivors(stranger), 'UNKNOWN_PARTICIPANT');
    const ghost = { ...r.request, dropped: [ids[7]!] };
    await expectCode(r.clients.get(r.request.survivors[2]!)!.checkSurvivors(ghost), 'INCONSISTENT_REQUEST');
    const omitted = { ...r.request, survivors: r.request.survivors.filter((id) => id !== r.request.survivors[4]) };
    await expectCode(r.clients.get(r.request.survivors[3]!)!.checkSurvivors(omitted), 'INCONSISTENT_REQUEST');
  });
});

describe('secagg ciphertexts hide the shares', () => {
  it('no relayed ciphertext contains any 12-byte run of a share revealed in Round 3', async () => {
    const ids = clientIds(10);
    const r = await runRound({ n: 10, vectorLength: 8, threshold: 6, dropAfterShare: new Set([ids[4]!, ids[8]!]) });
    const boxes = [...r.relays.values()].flatMap((m) => m.shares.map((s) => Buffer.from(s.box)));
    expect(boxes.length).toBeGreaterThan(0);
    let checked = 0;
    for (const resp of r.responses) {
      for (const { share } of [...resp.selfMaskShares, ...resp.maskKeyShares]) {
        for (let off = 0; off + 12 <= share.length; off += 4) {
          const needle = Buffer.from(share.subarray(off, off + 12));
          for (const box of boxes) expect(box.includes(needle)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('secagg server validation', () => {
  it('a masked vector of the wrong length or outside the field is refused and counted as dropped', async () => {
    const ids = clientIds(8);
    const roundId = 'server-checks';
    const server = new SecAggServer({ roundId, vectorLength: 16, threshold: 5 });
    const clients = new Map(ids.map((id) => [id, new SecAggClient({ roundId, clientId: id })]));
    for (const c of clients.values()) await server.acceptAdvertiseKeys(await c.advertiseKeys());
    const roster = await server.roster();
    for (const c of clients.values()) server.acceptShareKeys(await c.shareKeys(roster));
    const relays = server.relay();
    const inputs = new Map(ids.map((id) => [id, randomVector(16)]));
    const masked = await Promise.all(ids.map((id) => clients.get(id)!.maskInput(inputs.get(id)!, relays.get(id)!)));
    const [short, outside, ...good] = masked;
    expect(() => server.acceptMaskedInput({ ...short!, masked: short!.masked.subarray(0, 60) })).toThrow(
      expect.objectContaining({ code: 'INPUT_LENGTH' }),
    );
    expect(() => server.acceptMaskedInput(short!)).toThrow(expect.objectContaining({ code: 'REJECTED' }));
    const asNumbers = Array.from(new Uint32Array(outside!.masked.buffer.slice(0)));
    asNumbers[3] = 2 ** 32;
    expect(() => server.acceptMaskedInput({ ...outside!, masked: asNumbers as unknown as Uint8Array })).toThrow(
      expect.objectContaining({ code: 'INPUT_OUT_OF_FIELD' }),
    );
    for (const m of good) server.acceptMaskedInput(m);
    expect(() => server.acceptMaskedInput(good[0]!)).toThrow(expect.objectContaining({ code: 'DUPLICATE' }));
    const request = server.unmaskRequest();
    expect(request.dropped).toEqual([ids[0], ids[1]]);
    const proof = await consistencyRound(server, clients, request);
    for (const id of request.survivors) server.acceptUnmaskResponse(await clients.get(id)!.unmask(proof));
    const sum = await server.finalize();
    expect(Array.from(sum)).toEqual(Array.from(plainSum(request.survivors.map((id) => inputs.get(id)!), 16)));
  });

  it('rejects out-of-phase, foreign-round, unknown-sender and malformed messages', async () => {
    const { ids, server, shareKeys, clients, relays } = await toRelay();
    expect(() => server.acceptShareKeys(shareKeys[0]!)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    const m = await clients.get(ids[0]!)!.maskInput(new Uint32Array(8), relays.get(ids[0]!)!);
    expect(() => server.acceptMaskedInput({ ...m, roundId: 'other' })).toThrow(expect.objectContaining({ code: 'WRONG_ROUND' }));
    expect(() => server.acceptMaskedInput({ ...m, clientId: 'mallory' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_PARTICIPANT' }),
    );
    expect(() => server.acceptMaskedInput({ ...m, kind: 'nope' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
  });

  it('rejects share messages that skip or double a neighbour, and unmask responses with unrequested shares', async () => {
    const roundId = 'share-checks';
    const ids = clientIds(6);
    const server = new SecAggServer({ roundId, vectorLength: 4 });
    const clients = ids.map((id) => new SecAggClient({ roundId, clientId: id }));
    for (const c of clients) await server.acceptAdvertiseKeys(await c.advertiseKeys());
    const roster = await server.roster();
    const msgs = await Promise.all(clients.map((c) => c.shareKeys(roster)));
    const m0 = msgs[0]!;
    expect(() => server.acceptShareKeys({ ...m0, shares: m0.shares.slice(1) })).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
    expect(() => server.acceptShareKeys({ ...m0, shares: [...m0.shares, m0.shares[0]!] })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE' }),
    );
    expect(() => server.acceptShareKeys({ ...m0, shares: [{ ...m0.shares[0]!, from: ids[1]! }, ...m0.shares.slice(1)] })).toThrow(
      expect.objectContaining({ code: 'MISADDRESSED' }),
    );
    for (const m of msgs) server.acceptShareKeys(m);
    const relays = server.relay();
    for (const c of clients) server.acceptMaskedInput(await c.maskInput(new Uint32Array(4), relays.get(c.clientId)!));
    const request = server.unmaskRequest();
    const proof = await consistencyRound(server, new Map(clients.map((c) => [c.clientId, c])), request);
    const resp = await clients[0]!.unmask(proof);
    const bogus = { ...resp, maskKeyShares: [{ owner: resp.selfMaskShares[0]!.owner, share: resp.selfMaskShares[0]!.share }] };
    expect(() => server.acceptUnmaskResponse({ ...bogus, selfMaskShares: bogus.selfMaskShares.slice(1) })).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_REQUEST' }),
    );
    server.acceptUnmaskResponse(resp);
    expect(() => server.acceptUnmaskResponse(resp)).toThrow(expect.objectContaining({ code: 'DUPLICATE' }));
  });

  it('a client revealing corrupted shares is identified and left out, and the round still yields the exact sum', async () => {
    const r = await runToUnmask({ n: 6, vectorLength: 4, dropBeforeSign: new Set(clientIds(6)) });
    const [liar, ...honest] = r.request.survivors;
    const proof = await consistencyRound(r.server, r.clients, r.request);
    const resp = await r.clients.get(liar!)!.unmask(proof);
    // Corrupt a single byte of one share: the old "first t shares" reconstruction aborted the round on this.
    const corrupted = { ...resp, selfMaskShares: resp.selfMaskShares.map((s, i) => (i === 0 ? { ...s, share: flipByte(s.share, 0) } : s)) };
    r.server.acceptUnmaskResponse(corrupted);
    for (const id of honest) r.server.acceptUnmaskResponse(await r.clients.get(id)!.unmask(proof));
    const sum = await r.server.finalize();
    expect(Array.from(sum)).toEqual(Array.from(plainSum(r.request.survivors.map((id) => r.inputs.get(id)!), 4)));
    expect(r.server.cheaters).toEqual([liar]);
  });

  it('too many corrupted shares abort the round, naming the cheaters, instead of yielding a wrong sum', async () => {
    // k = 5, t = 4: two liars leave each owner 3 verified shares, below t.
    const r = await runToUnmask({ n: 6, vectorLength: 4, dropBeforeSign: new Set(clientIds(6)) });
    const [a, b, ...honest] = r.request.survivors;
    const proof = await consistencyRound(r.server, r.clients, r.request);
    for (const id of [a!, b!]) {
      const resp = await r.clients.get(id)!.unmask(proof);
      r.server.acceptUnmaskResponse({ ...resp, selfMaskShares: resp.selfMaskShares.map((s) => ({ ...s, share: flipByte(s.share, 3) })) });
    }
    for (const id of honest) r.server.acceptUnmaskResponse(await r.clients.get(id)!.unmask(proof));
    await expect(r.server.finalize()).rejects.toMatchObject({ name: 'SecAggAbort', code: 'INSUFFICIENT_SHARES' });
    expect(r.server.cheaters).toEqual([a, b].sort());
  });

  it('a dealer whose ciphertext holds shares it did not commit to is refused by the holder (BAD_SHARE)', async () => {
    const { ids, clients, relays } = await toRelay();
    const victim = ids[0]!;
    const relay = relays.get(victim)!;
    const [first, ...rest] = relay.shares;
    const forged = withShares(relay, [{ ...first!, selfMaskShareHash: flipByte(first!.selfMaskShareHash, 5) }, ...rest]);
    await expectCode(clients.get(victim)!.maskInput(new Uint32Array(8), forged), 'BAD_SHARE');
  });
});
