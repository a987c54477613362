import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { encodeWeights } from '@huddle/shared/model';
import { decodeServerMessage, encodeEnvelope, encodeMessage, sealMessage } from '@huddle/shared/protocol';
import { silentLogger } from '@huddle/shared/util';
import { ed25519KeyImports } from '../src/auth/ed25519.ts';
import { CohortJobs } from '../src/cluster/cohortJobs.ts';
import { systemClock } from '../src/engine/clock.ts';
import type { CohortOrder, CohortResult } from '../src/engine/workflows/cohorts.ts';

// A node's cohort fit: which frames it keeps, how it checks them, what it sends the leader.
function node() {
  const sent: [string, string][] = [];
  const published: CohortResult[] = [];
  const jobs = new CohortJobs({
    node: 'n1',
    clock: systemClock,
    logger: silentLogger,
    send: (sid, bytes) => {
      const m = decodeServerMessage(bytes);
      sent.push([sid, m.ok && m.message.type === 'error' ? m.message.code : m.ok ? m.message.type : 'undecodable']);
    },
    publish: (_roundId, _cohort, result) => published.push(result),
  });
  return { jobs, sent, published };
}

const keys = [nacl.sign.keyPair(), nacl.sign.keyPair()];
const nonces = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
const order = (): CohortOrder => ({
  roundId: 'r-1',
  cohort: 'n1/0',
  task: 'readiness',
  members: [0, 1].map((i) => ({ clientId: `c${i}`, conn: `s${i}`, nonce: nonces[i]!, publicKey: keys[i]!.publicKey, identity: null })),
  target: 2,
  minSurvivors: 1,
  remainingMs: 5_000,
  clip: 10,
  plain: { manifest: [{ name: 'w', shape: [2] }], weighting: 'examples' },
  secure: null,
});

const fitResult = (update: number[], numExamples: number, roundId = 'r-1') =>
  encodeMessage({ type: 'fitResult', roundId, numExamples, update: encodeWeights(Float32Array.from(update)), trainLoss: 1, clipBit: null });
const frame = (secretKey: Uint8Array, nonce: Uint8Array, seq: number, body: Uint8Array) => encodeEnvelope(sealMessage(secretKey, nonce, seq, body));

describe("a node's cohort fit", () => {
  it('keeps its members\' signed round messages, refuses forged and replayed ones, and sends the weighted cohort sum', async () => {
    const { jobs, sent, published } = node();
    jobs.start(order());
    // Another round's message, or a socket outside the cohort: forwarded to the leader untouched.
    expect(jobs.intercept('s0', frame(keys[0]!.secretKey, nonces[0]!, 1, fitResult([1, 1], 1, 'r-other')))).toBe(false);
    expect(jobs.intercept('s9', frame(keys[0]!.secretKey, nonces[0]!, 1, fitResult([1, 1], 1)))).toBe(false);
    // Signed with another member's key: kept here (it names this round) but refused.
    expect(jobs.intercept('s0', frame(keys[1]!.secretKey, nonces[0]!, 2, fitResult([9, 9], 1)))).toBe(true);
    expect(sent).toEqual([['s0', 'unauthorized']]);
    const good = frame(keys[0]!.secretKey, nonces[0]!, 3, fitResult([1, 2], 2));
    expect(jobs.intercept('s0', good)).toBe(true);
    // The same frame again: a replay.
    expect(jobs.intercept('s0', good)).toBe(true);
    expect(sent).toEqual([['s0', 'unauthorized'], ['s0', 'unauthorized']]);
    expect(jobs.intercept('s1', frame(keys[1]!.secretKey, nonces[1]!, 1, fitResult([3, 0], 1)))).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toHaveLength(1);
    const result = published[0]!;
    expect(result.status).toBe('plain');
    if (result.status !== 'plain') return;
    expect(result.reported.sort()).toEqual(['c0', 'c1']);
    // 2 x [1, 2] + 1 x [3, 0], weight 3: the leader divides the sum of such sums by the sum of weights.
    expect([...result.sum]).toEqual([5, 4]);
    expect(result.weight).toBe(3);
    jobs.acknowledge('r-1', 'n1/0');
    expect(jobs.active).toBe(0);
    jobs.close();
  });

  it('imports no key in the round for members whose keys it was given as they joined', async () => {
    const { jobs, published } = node();
    const fresh = [nacl.sign.keyPair(), nacl.sign.keyPair()];
    const members = order().members.map((m, i) => ({ ...m, publicKey: fresh[i]!.publicKey }));
    jobs.prepare(fresh.map((k) => k.publicKey));
    const before = ed25519KeyImports();
    jobs.start({ ...order(), members });
    expect(jobs.intercept('s0', frame(fresh[0]!.secretKey, nonces[0]!, 1, fitResult([1, 2], 2)))).toBe(true);
    expect(jobs.intercept('s1', frame(fresh[1]!.secretKey, nonces[1]!, 1, fitResult([3, 0], 1)))).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(published.map((r) => r.status)).toEqual(['plain']);
    expect(ed25519KeyImports()).toBe(before);
    // A member whose key it was not given: imported when its first message is verified.
    const unknown = nacl.sign.keyPair();
    jobs.start({ ...order(), roundId: 'r-2', members: [{ ...members[0]!, publicKey: unknown.publicKey }] });
    expect(jobs.intercept('s0', frame(unknown.secretKey, nonces[0]!, 2, fitResult([1, 2], 2, 'r-2')))).toBe(true);
    expect(ed25519KeyImports()).toBe(before + 1);
    jobs.close();
  });
});
