import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { defaultPrivacyPolicy, openFederationPolicy } from '@huddle/shared/protocol';
import {
  NeighbourGraph,
  SecAggClient,
  type AdvertiseKeysMessage,
  type ConsistencyProofMessage,
  type RosterMessage,
  type SurvivorSignatureMessage,
  type UnmaskRequestMessage,
  type UnmaskResponseMessage,
} from '@huddle/shared/secagg';
import { advertiseAll, athlete, auditor, D, ENC, honestRound, outcome, sdkPolicy, serverFor, unmaskOne, type Athlete } from './hostileCoordinator.ts';

const ids = (n: number, prefix = 'athlete') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const same = (a: Uint32Array | null, b: Uint32Array) => a !== null && Array.from(a).every((v, i) => v === b[i]);

describe('Sybil roster: the target plus peers the coordinator invented', () => {
  it('without a client-side policy (the SDK before this change), target + 2 Sybils with n = 3, k = t = 2 recovers the target update exactly', async () => {
    const roundId = 'sybil-bare';
    const target = athlete('athlete-0', roundId, undefined);
    const sybils = ['sybil-1', 'sybil-2'].map((id) => ({ ...athlete(id, roundId, undefined), input: new Uint32Array(D) }));
    const { sum } = await honestRound(serverFor(roundId, [target, ...sybils]), [target, ...sybils]);
    // The "sum" is the target's input alone: this is the breach the issue reports.
    expect(same(sum, target.input)).toBe(true);
  });

  it('the SDK policy refuses that roster, so the coordinator gets nothing to unmask', async () => {
    const roundId = 'sybil-3';
    const target = athlete('athlete-0', roundId, sdkPolicy());
    const sybils = ['sybil-1', 'sybil-2'].map((id) => ({ ...athlete(id, roundId, undefined), input: new Uint32Array(D) }));
    const server = serverFor(roundId, [target, ...sybils]);
    const roster = await advertiseAll(server, [target, ...sybils]);
    expect(roster.params).toMatchObject({ neighbours: 2, threshold: 2 });
    const refused = target.client.shareKeys(roster);
    await expect(refused).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
    await expect(refused).rejects.toThrow(/3 participants; our policy needs 5/);
    expect(target.client.phase).toBe('failed');
    expect(await unmaskOne(roster, target.id, ['sybil-1', 'sybil-2'], undefined, [])).toBeNull();
  });

  it('REMAINING ATTACK without an auditor: a coordinator that enrolls 4 Sybils itself still isolates the target (docs/privacy.md)', async () => {
    const roundId = 'sybil-5';
    const target = athlete('athlete-0', roundId, sdkPolicy());
    const sybils = ids(4, 'sybil').map((id) => ({ ...athlete(id, roundId, undefined), input: new Uint32Array(D) }));
    const { sum } = await honestRound(serverFor(roundId, [target, ...sybils]), [target, ...sybils]);
    expect(same(sum, target.input)).toBe(true);
  });

  it('with an auditor pinned in the policy, the same 4 Sybils are refused: they carry no countersignature', async () => {
    const roundId = 'sybil-5-audited';
    const { policy } = auditor();
    const target = athlete('athlete-0', roundId, sdkPolicy(policy));
    const sybils = ids(4, 'sybil').map((id) => ({ ...athlete(id, roundId, undefined), input: new Uint32Array(D) }));
    // The coordinator countersigns with a key of its own: not the pinned auditor's.
    const server = serverFor(roundId, [target, ...sybils], { countersign: nacl.sign.keyPair() });
    const roster = await advertiseAll(server, [target, ...sybils]);
    await expect(target.client.shareKeys(roster)).rejects.toMatchObject({ code: 'POLICY_REFUSED' });
    expect(await unmaskOne(roster, target.id, ids(4, 'sybil'), undefined, [])).toBeNull();
  });

  it('with the auditor, Sybils padding the survivor set do not count toward the survivors the policy needs', async () => {
    const roundId = 'sybil-padded-survivors';
    const { keys, policy } = auditor();
    const honest = ids(5).map((id) => athlete(id, roundId, sdkPolicy(policy)));
    const sybils = ids(2, 'sybil').map((id) => ({ ...athlete(id, roundId, undefined), input: new Uint32Array(D) }));
    const everyone = [...honest, ...sybils];
    // n = 7, k = 6, t = 5: two uncountersigned neighbours are tolerated (2t = 10 > k + c = 8).
    const server = serverFor(roundId, everyone, { countersign: keys, notCountersigned: new Set(ids(2, 'sybil')) });
    const roster = await advertiseAll(server, everyone);
    for (const a of everyone) server.acceptShareKeys(await a.client.shareKeys(roster));
    const relays = server.relay();
    // The coordinator drops one real athlete's masked input: 6 survivors, only 4 of them countersigned.
    for (const a of everyone) {
      const m = await a.client.maskInput(a.input, relays.get(a.id)!);
      if (a.id !== 'athlete-4') server.acceptMaskedInput(m);
    }
    const request = server.unmaskRequest();
    expect(request.survivors).toHaveLength(6);
    for (const a of honest.slice(0, 4)) expect(await outcome(() => a.client.checkSurvivors(request))).toBe('POLICY_REFUSED');
  });

  it('with the auditor, a round of 5 countersigned athletes completes with the exact sum', async () => {
    const roundId = 'audited-honest';
    const { keys, policy } = auditor();
    const athletes = ids(5).map((id) => athlete(id, roundId, sdkPolicy(policy)));
    const { sum } = await honestRound(serverFor(roundId, athletes, { countersign: keys }), athletes);
    const expected = new Uint32Array(D);
    for (const a of athletes) for (let i = 0; i < D; i++) expected[i] = (expected[i]! + a.input[i]!) >>> 0;
    expect(Array.from(sum)).toEqual(Array.from(expected));
  });
});

describe('lowered neighbours, threshold or noise', () => {
  it('k = 2 among 8 athletes is below the floor min(n - 1, 2 ceil(log2 n)) = 6: every client refuses', async () => {
    const roundId = 'low-k';
    const athletes = ids(8).map((id) => athlete(id, roundId, sdkPolicy()));
    const roster = await advertiseAll(serverFor(roundId, athletes, { neighbours: 2 }), athletes);
    for (const a of athletes) expect(await outcome(() => a.client.shareKeys(roster))).toBe('POLICY_REFUSED');
  });

  it('a threshold lowered to k/2 or below is refused (the coordinator edits the roster after the fact)', async () => {
    const roundId = 'low-t';
    const athletes = ids(8).map((id) => athlete(id, roundId, sdkPolicy()));
    const roster = await advertiseAll(serverFor(roundId, athletes), athletes);
    const lowered: RosterMessage = { ...roster, params: { ...roster.params, threshold: 3 } };
    for (const a of athletes) expect(await outcome(() => a.client.shareKeys(lowered))).toBe('INVALID_PARAMS');
  });

  it('thinning the survivors below what the device noise needs: no client reveals a share', async () => {
    const roundId = 'thin-noise';
    // sigma such that 6 survivors' noise reaches z = 0.5 exactly; the coordinator keeps only 5.
    const enc = { ...ENC, noiseSigma: (0.5 * ENC.scale) / Math.sqrt(6) };
    const policy = sdkPolicy({ ...defaultPrivacyPolicy(), dp: { required: true, minNoiseMultiplier: 0.5 } }, enc);
    expect(policy.minSurvivors).toBe(6);
    const athletes = ids(8).map((id) => athlete(id, roundId, policy));
    // k = 7, t = 4: five survivors are enough for the protocol, so only the noise floor stops them.
    const server = serverFor(roundId, athletes, { threshold: 4 });
    const roster = await advertiseAll(server, athletes);
    for (const a of athletes) server.acceptShareKeys(await a.client.shareKeys(roster));
    const relays = server.relay();
    const kept = athletes.slice(0, 5);
    for (const a of athletes) {
      const m = await a.client.maskInput(a.input, relays.get(a.id)!);
      if (kept.includes(a)) server.acceptMaskedInput(m);
    }
    const request = server.unmaskRequest();
    expect(request.survivors).toHaveLength(5);
    for (const a of kept) expect(await outcome(() => a.client.checkSurvivors(request))).toBe('POLICY_REFUSED');
  });
});

describe('substituted keys of honest peers', () => {
  it('keys swapped under an honest peer’s signature fail verification at every other client', async () => {
    const roundId = 'swap';
    const athletes = ids(6).map((id) => athlete(id, roundId, sdkPolicy()));
    const roster = await advertiseAll(serverFor(roundId, athletes), athletes);
    const mine = await (await import('@huddle/shared/secagg')).detectX25519();
    const [enc, mask] = [await mine.generateKeyPair(false), await mine.generateKeyPair(true)];
    const forged: RosterMessage = {
      ...roster,
      participants: roster.participants.map((p) => (p.clientId === 'athlete-3' ? { ...p, encPublicKey: enc.publicKey, maskPublicKey: mask.publicKey } : p)),
    };
    for (const a of athletes.filter((x) => x.id !== 'athlete-3')) expect(await outcome(() => a.client.shareKeys(forged))).toBe('SIGNATURE_INVALID');
  });

  it('a coordinator impersonating honest peers with enrollment keys of its own is refused once an auditor is pinned', async () => {
    const roundId = 'impersonate';
    const { keys, policy } = auditor();
    const athletes = ids(6).map((id) => athlete(id, roundId, sdkPolicy(policy)));
    const server = serverFor(roundId, athletes, { countersign: keys });
    const roster = await advertiseAll(server, athletes);
    // Replace 3 of athlete-0's 5 neighbours with coordinator-held clients under the same ids: 2t = 8 <= k + c = 8.
    const fakes = new Map<string, AdvertiseKeysMessage & { enrollmentPublicKey: Uint8Array }>();
    for (const id of ['athlete-1', 'athlete-2', 'athlete-3']) {
      const k = nacl.sign.keyPair();
      const fake = new SecAggClient({ roundId, clientId: id, signingKey: k.secretKey });
      fakes.set(id, { ...(await fake.advertiseKeys()), enrollmentPublicKey: k.publicKey });
    }
    const forged: RosterMessage = {
      ...roster,
      participants: roster.participants.map((p) => {
        const f = fakes.get(p.clientId);
        return f ? { ...p, encPublicKey: f.encPublicKey, maskPublicKey: f.maskPublicKey, signature: f.signature!, enrollmentPublicKey: f.enrollmentPublicKey } : p;
      }),
    };
    expect(await outcome(() => athletes[0]!.client.shareKeys(forged))).toBe('POLICY_REFUSED');
    expect(await unmaskOne(forged, 'athlete-0', ['athlete-1', 'athlete-2', 'athlete-3', 'athlete-4', 'athlete-5'], undefined, [])).toBeNull();
  });
});

/** Everyone shares keys and masks honestly; returns the state just before the survivor set is announced. */
async function masked(roundId: string, athletes: Athlete[], open = false) {
  const server = serverFor(roundId, athletes, { open });
  const roster = await advertiseAll(server, athletes);
  for (const a of athletes) server.acceptShareKeys(await a.client.shareKeys(roster));
  const relays = server.relay();
  const inputs = new Map<string, Awaited<ReturnType<SecAggClient['maskInput']>>>();
  for (const a of athletes) {
    const m = await a.client.maskInput(a.input, relays.get(a.id)!);
    inputs.set(a.id, m);
    server.acceptMaskedInput(m);
  }
  return { server, roster, inputs, request: server.unmaskRequest() };
}

describe('different survivor sets shown to different clients', () => {
  /** Group A is told the target survived (b-shares), group B that it dropped (s-shares): the classic split view. */
  async function splitView(signed: boolean) {
    const roundId = signed ? 'split-signed' : 'split-open';
    const policy = signed ? sdkPolicy() : sdkPolicy(openFederationPolicy());
    const athletes = ids(6).map((id) => {
      const a = athlete(id, roundId, policy);
      return signed ? a : { ...a, client: new SecAggClient({ roundId, clientId: id, policy }) };
    });
    const { roster, inputs, request } = await masked(roundId, athletes, !signed);
    const target = 'athlete-0';
    const viewA = request;
    const viewB: UnmaskRequestMessage = { ...request, survivors: request.survivors.filter((id) => id !== target), dropped: [target] };
    const groupA = athletes.slice(0, 4); // the target and three neighbours
    const groupB = athletes.slice(4);
    const sigs = new Map<string, SurvivorSignatureMessage>();
    for (const a of groupA) sigs.set(a.id, await a.client.checkSurvivors(viewA));
    for (const a of groupB) sigs.set(a.id, await a.client.checkSurvivors(viewB));
    const proofFor = (view: UnmaskRequestMessage, signers: Athlete[]): ConsistencyProofMessage => ({
      kind: 'secagg/consistency-proof',
      roundId,
      survivors: view.survivors,
      dropped: view.dropped,
      signatures: signers.map((a) => {
        const s = sigs.get(a.id)!;
        return s.signature ? { clientId: a.id, signature: s.signature } : { clientId: a.id };
      }),
    });
    const responses: UnmaskResponseMessage[] = [];
    const outcomes: string[] = [];
    // The coordinator shows each group every signature that could possibly help it.
    for (const a of groupA.slice(1)) {
      outcomes.push(await outcome(async () => responses.push(await a.client.unmask(proofFor(viewA, athletes.filter((x) => viewA.survivors.includes(x.id)))))));
    }
    for (const a of groupB) {
      outcomes.push(await outcome(async () => responses.push(await a.client.unmask(proofFor(viewB, athletes.filter((x) => viewB.survivors.includes(x.id)))))));
    }
    const graph = await NeighbourGraph.build(roundId, roster.participants, roster.params.neighbours);
    const recovered = await unmaskOne(roster, target, graph.neighbours(target), inputs.get(target), responses);
    return { outcomes, recovered, target: athletes[0]!.input, responses };
  }

  it('signed: every client sees signatures of a survivor set other than its own and refuses; nothing is unmasked', async () => {
    const { outcomes, recovered, target, responses } = await splitView(true);
    expect(outcomes).toEqual(Array(5).fill('CONSISTENCY_FAILED'));
    expect(responses).toHaveLength(0);
    expect(same(recovered, target)).toBe(false);
  });

  it('open federation (nothing to verify): shares flow, yet t > k/2 and one share kind per peer still keep the target masked', async () => {
    const { recovered, target, responses } = await splitView(false);
    expect(responses.length).toBeGreaterThan(0);
    expect(recovered).toBeNull();
    expect(same(recovered, target)).toBe(false);
  });
});

describe('replay of an old round', () => {
  it("an honest peer's signed keys from an earlier round do not verify in a new one", async () => {
    const keys = ids(6).map(() => nacl.sign.keyPair());
    const old = ids(6).map((id, i) => athlete(id, 'round-old', sdkPolicy(), keys[i]));
    const oldServer = serverFor('round-old', old);
    const oldRoster = await advertiseAll(oldServer, old);
    const fresh = ids(6).map((id, i) => athlete(id, 'round-new', sdkPolicy(), keys[i]));
    const roster = await advertiseAll(serverFor('round-new', fresh), fresh);
    const replayed: RosterMessage = {
      ...roster,
      participants: roster.participants.map((p) => (p.clientId === 'athlete-5' ? { ...oldRoster.participants[5]! } : p)),
    };
    for (const a of fresh.slice(0, 5)) expect(await outcome(() => a.client.shareKeys(replayed))).toBe('SIGNATURE_INVALID');
    // The old round's whole roster, relabelled or not, is refused too.
    expect(await outcome(() => fresh[5]!.client.shareKeys(oldRoster))).toBe('WRONG_ROUND');
  });
});
