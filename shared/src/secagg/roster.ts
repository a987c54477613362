import { bytesEqual, bytesKey, isAllZero } from './bytes.ts';
import { SecAggError, fail } from './errors.ts';
import { compareIds } from './ids.ts';
import { advertisementBytes, verifyCountersignature, verifySignature } from './identity.ts';
import type { ParticipantKeys, RosterMessage } from './messages.ts';
import { validateParams } from './params.ts';

/**
 * Client-side checks on the server's U1 broadcast: canonical order (hence no duplicate ids), our own keys unaltered,
 * no public key appearing twice (a server reusing a key across slots or clients is substituting keys), valid params,
 * and every advertisement signature that is present valid for this round (an old round's signed keys do not verify).
 */
export function verifyRoster(roster: RosterMessage, self: ParticipantKeys): Map<string, ParticipantKeys> {
  const bad = (message: string): never => {
    throw new SecAggError('ROSTER_INVALID', message);
  };
  const byId = new Map<string, ParticipantKeys>();
  const seenKeys = new Set<string>();
  let previous: string | undefined;
  for (const p of roster.participants) {
    if (previous !== undefined && compareIds(previous, p.clientId) >= 0) bad('participants must be sorted by id, without duplicates');
    previous = p.clientId;
    for (const key of [p.encPublicKey, p.maskPublicKey, ...(p.enrollmentPublicKey ? [p.enrollmentPublicKey] : [])]) {
      if (isAllZero(key)) bad(`all-zero public key for ${p.clientId}`);
      const k = bytesKey(key);
      if (seenKeys.has(k)) bad(`public key reused (at ${p.clientId})`);
      seenKeys.add(k);
    }
    if ((p.enrollmentPublicKey !== undefined || p.signature !== undefined) && !advertisementSigned(roster.roundId, p)) {
      fail('SIGNATURE_INVALID', `the key advertisement of ${p.clientId} is not signed by its enrollment key for this round`, { peer: p.clientId });
    }
    byId.set(p.clientId, p);
  }
  const mine = byId.get(self.clientId);
  if (!mine) bad('we are not in the roster');
  if (!bytesEqual(mine!.encPublicKey, self.encPublicKey) || !bytesEqual(mine!.maskPublicKey, self.maskPublicKey)) {
    bad('our public keys were altered');
  }
  validateParams(roster.participants.length, roster.params);
  return byId;
}

function advertisementSigned(roundId: string, p: ParticipantKeys): boolean {
  return verifySignature(p.enrollmentPublicKey, advertisementBytes(roundId, p.clientId, p.encPublicKey, p.maskPublicKey), p.signature);
}

/** The floors a client holds a roster to (see SecAggClientPolicy); all optional at this layer. */
export interface RosterPolicy {
  /** Every peer must carry an enrollment key and a valid advertisement signature. */
  readonly requireSignatures?: boolean;
  /**
   * When set, only peers whose (id, enrollment key) this auditor countersigned count toward the floors; the others are
   * assumed to be the coordinator's (Sybils), and a neighbourhood must stay private even if they collude with it.
   */
  readonly auditorPublicKey?: Uint8Array;
  /** Fewest counted participants (ourselves included). */
  readonly minParticipants?: number;
  /** Fewest neighbours k, as a number or a function of the roster size n. */
  readonly minNeighbours?: number | ((participants: number) => number);
  readonly minThreshold?: number;
}

/**
 * Policy check after verifyRoster; returns the participants that count (all of them, or with an auditor the
 * countersigned ones and ourselves). The privacy condition for one client whose neighbourhood holds c coordinator-held
 * peers: each honest neighbour reveals, per owner, one kind of share only, so the coordinator gets both b_u and s_u^SK
 * only if 2t <= k + c. With an auditor, c counts the neighbours without a countersignature; without one, c = 0 and the
 * condition is the usual t > k/2 (a coordinator may then still invent enrolled-looking peers: see docs/privacy.md).
 */
export function checkRosterPolicy(roster: RosterMessage, selfId: string, neighbours: readonly string[], policy: RosterPolicy): ReadonlySet<string> {
  const refuse = (message: string, details?: Record<string, unknown>): never => fail('POLICY_REFUSED', message, details);
  const auditor = policy.auditorPublicKey;
  if (policy.requireSignatures || auditor) {
    for (const p of roster.participants) {
      if (p.enrollmentPublicKey === undefined || p.signature === undefined) {
        fail('SIGNATURE_INVALID', `${p.clientId} has no signed key advertisement`, { peer: p.clientId });
      }
    }
  }
  const counted = new Set(
    roster.participants
      .filter((p) => p.clientId === selfId || !auditor || verifyCountersignature(auditor, p.clientId, p.enrollmentPublicKey!, p.auditorSignature))
      .map((p) => p.clientId),
  );
  const n = roster.participants.length;
  const { neighbours: k, threshold: t } = roster.params;
  if (policy.minParticipants !== undefined && counted.size < policy.minParticipants) {
    refuse(`${counted.size} ${auditor ? 'countersigned ' : ''}participants; our policy needs ${policy.minParticipants}`);
  }
  const minK = typeof policy.minNeighbours === 'function' ? policy.minNeighbours(n) : policy.minNeighbours;
  if (minK !== undefined && k < minK) refuse(`${k} neighbours; our policy needs ${minK} for ${n} participants`);
  if (policy.minThreshold !== undefined && t < policy.minThreshold) refuse(`threshold ${t}; our policy needs ${policy.minThreshold}`);
  const uncounted = neighbours.filter((v) => !counted.has(v)).length;
  if (2 * t <= k + uncounted) {
    refuse(`threshold ${t} of ${k} neighbours, ${uncounted} of them not countersigned: the coordinator could recover our input`);
  }
  return counted;
}
