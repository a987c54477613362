import { bytesEqual, bytesKey, isAllZero } from './bytes.ts';
import { SecAggError } from './errors.ts';
import { compareIds } from './ids.ts';
import type { ParticipantKeys, RosterMessage } from './messages.ts';
import { validateParams } from './params.ts';

/**
 * Client-side checks on the server's U1 broadcast: canonical order (hence no duplicate ids), our own keys unaltered,
 * no public key appearing twice (a server reusing a key across slots or clients is substituting keys), valid params.
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
    for (const key of [p.encPublicKey, p.maskPublicKey]) {
      if (isAllZero(key)) bad(`all-zero public key for ${p.clientId}`);
      const k = bytesKey(key);
      if (seenKeys.has(k)) bad(`public key reused (at ${p.clientId})`);
      seenKeys.add(k);
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
