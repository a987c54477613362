/** A single-use invite for a coach; only the HMAC of its code is stored (same key as athlete invites). */
export interface CoachInviteRecord {
  id: string;
  note: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

/** An enrolled coach: known by the fingerprint of its box public key (its id and pairing code). */
export interface CoachRecord {
  coachId: string;
  boxPublicKey: Uint8Array;
  inviteId: string | null;
  enrolledAt: number;
  revokedAt: number | null;
}

/** An athlete's decision to share daily summaries with one coach, until `expiresAt`. */
export interface GrantRecord {
  grantId: string;
  clientId: string;
  coachId: string;
  /** This sharing's own athlete box public key: the coach opens the summaries with it. */
  athleteBoxKey: Uint8Array;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A relayed summary: ciphertext and nonce, nothing else. */
export interface StoredSummary {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  receivedAt: number;
}

export interface CoachTables {
  insertInvite(record: CoachInviteRecord, codeHash: Uint8Array): void;
  inviteById(id: string): CoachInviteRecord | null;
  inviteByCodeHash(codeHash: Uint8Array): CoachInviteRecord | null;
  listInvites(): (CoachInviteRecord & { coachId: string | null })[];
  /** Marks an invite used only if it is still pending at `now`. */
  markInviteUsed(id: string, now: number): boolean;
  revokeInvite(id: string, now: number): boolean;

  insertCoach(record: CoachRecord, tokenHash: Uint8Array): void;
  coachById(coachId: string): CoachRecord | null;
  coachByTokenHash(tokenHash: Uint8Array): CoachRecord | null;
  listCoaches(now: number): (CoachRecord & { activeGrants: number })[];
  /** Revokes the coach and deletes every summary stored for it. */
  revokeCoach(coachId: string, now: number): boolean;

  insertGrant(record: GrantRecord): void;
  grantById(grantId: string): GrantRecord | null;
  /** The coach's grants that are neither revoked nor expired at `now`. */
  activeGrantsOf(coachId: string, now: number): GrantRecord[];
  /** Revokes the grant and deletes its stored summaries. */
  revokeGrant(grantId: string, now: number): boolean;

  /** Stores a summary and keeps only the grant's newest `keep`. */
  insertSummary(grantId: string, summary: StoredSummary, keep: number): void;
  /** The grant's newest `limit` summaries, oldest first. */
  summariesOf(grantId: string, limit: number): StoredSummary[];
  /** Deletes the summaries of every grant expired at `now`; returns how many. */
  purgeExpired(now: number): number;
  /** Number of stored summaries (tests and the console). */
  summaryCount(): number;
}
