import type { CoachInviteRecord, CoachRecord, CoachTables, GrantRecord, StoredSummary } from '../coach/records.ts';
import type { SyncDb } from './sql/syncDb.ts';

interface InviteRow {
  id: string;
  note: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}
interface CoachRow {
  coach_id: string;
  box_public_key: Buffer;
  invite_id: string | null;
  enrolled_at: number;
  revoked_at: number | null;
}
interface GrantRow {
  grant_id: string;
  client_id: string;
  coach_id: string;
  athlete_box_key: Buffer;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}
interface SummaryRow {
  nonce: Buffer;
  ciphertext: Buffer;
  received_at: number;
}

const INVITE_COLUMNS = 'id, note, created_at, expires_at, used_at, revoked_at';
const COACH_COLUMNS = 'coach_id, box_public_key, invite_id, enrolled_at, revoked_at';
const GRANT_COLUMNS = 'grant_id, client_id, coach_id, athlete_box_key, created_at, expires_at, revoked_at';
const bytes = (b: Buffer) => new Uint8Array(b);
/** PostgreSQL hands BIGINT columns back as numbers through the worker; SQLite as numbers too. Counts may be strings. */
const num = (v: unknown) => Number(v);

const toInvite = (r: InviteRow): CoachInviteRecord => ({ id: r.id, note: r.note, createdAt: num(r.created_at), expiresAt: num(r.expires_at), usedAt: r.used_at === null ? null : num(r.used_at), revokedAt: r.revoked_at === null ? null : num(r.revoked_at) });
const toCoach = (r: CoachRow): CoachRecord => ({ coachId: r.coach_id, boxPublicKey: bytes(r.box_public_key), inviteId: r.invite_id, enrolledAt: num(r.enrolled_at), revokedAt: r.revoked_at === null ? null : num(r.revoked_at) });
const toGrant = (r: GrantRow): GrantRecord => ({
  grantId: r.grant_id,
  clientId: r.client_id,
  coachId: r.coach_id,
  athleteBoxKey: bytes(r.athlete_box_key),
  createdAt: num(r.created_at),
  expiresAt: num(r.expires_at),
  revokedAt: r.revoked_at === null ? null : num(r.revoked_at),
});

/** Coaches, their invites, athletes' sharing grants and the relayed (encrypted) summaries, in SQLite or PostgreSQL. */
export class SqliteCoaches implements CoachTables {
  private readonly s;

  constructor(db: SyncDb) {
    const order = db.dialect === 'sqlite' ? 'i.rowid' : 'i.seq';
    this.s = {
      insertInvite: db.prepare(`INSERT INTO coach_invites (code_hash, ${INVITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      inviteById: db.prepare<[string], InviteRow>(`SELECT ${INVITE_COLUMNS} FROM coach_invites WHERE id = ?`),
      inviteByHash: db.prepare<[Buffer], InviteRow>(`SELECT ${INVITE_COLUMNS} FROM coach_invites WHERE code_hash = ?`),
      listInvites: db.prepare<[], InviteRow & { coach_id: string | null }>(
        `SELECT ${INVITE_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, c.coach_id FROM coach_invites i LEFT JOIN coaches c ON c.invite_id = i.id ORDER BY ${order}`,
      ),
      markUsed: db.prepare('UPDATE coach_invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?'),
      revokeInvite: db.prepare('UPDATE coach_invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL'),
      insertCoach: db.prepare(`INSERT INTO coaches (token_hash, ${COACH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`),
      coachById: db.prepare<[string], CoachRow>(`SELECT ${COACH_COLUMNS} FROM coaches WHERE coach_id = ?`),
      coachByToken: db.prepare<[Buffer], CoachRow>(`SELECT ${COACH_COLUMNS} FROM coaches WHERE token_hash = ?`),
      listCoaches: db.prepare<[number], CoachRow & { active_grants: number }>(
        `SELECT ${COACH_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')},
           (SELECT COUNT(*) FROM coach_grants g WHERE g.coach_id = c.coach_id AND g.revoked_at IS NULL AND g.expires_at > ?) AS active_grants
         FROM coaches c ORDER BY c.enrolled_at, c.coach_id`,
      ),
      revokeCoach: db.prepare('UPDATE coaches SET revoked_at = ? WHERE coach_id = ? AND revoked_at IS NULL'),
      deleteSummariesOfCoach: db.prepare('DELETE FROM coach_summaries WHERE grant_id IN (SELECT grant_id FROM coach_grants WHERE coach_id = ?)'),
      insertGrant: db.prepare(`INSERT INTO coach_grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      grantById: db.prepare<[string], GrantRow>(`SELECT ${GRANT_COLUMNS} FROM coach_grants WHERE grant_id = ?`),
      activeGrants: db.prepare<[string, number], GrantRow>(`SELECT ${GRANT_COLUMNS} FROM coach_grants WHERE coach_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at, grant_id`),
      revokeGrant: db.prepare('UPDATE coach_grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL'),
      deleteSummariesOfGrant: db.prepare('DELETE FROM coach_summaries WHERE grant_id = ?'),
      insertSummary: db.prepare('INSERT INTO coach_summaries (grant_id, nonce, ciphertext, received_at) VALUES (?, ?, ?, ?)'),
      pruneSummaries: db.prepare(
        'DELETE FROM coach_summaries WHERE grant_id = ? AND id NOT IN (SELECT id FROM coach_summaries WHERE grant_id = ? ORDER BY id DESC LIMIT ?)',
      ),
      summaries: db.prepare<[string, number], SummaryRow & { id: number }>('SELECT id, nonce, ciphertext, received_at FROM coach_summaries WHERE grant_id = ? ORDER BY id DESC LIMIT ?'),
      purgeExpired: db.prepare('DELETE FROM coach_summaries WHERE grant_id IN (SELECT grant_id FROM coach_grants WHERE expires_at <= ?)'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM coach_summaries'),
    };
  }

  insertInvite(r: CoachInviteRecord, codeHash: Uint8Array): void {
    this.s.insertInvite.run(Buffer.from(codeHash), r.id, r.note, r.createdAt, r.expiresAt, r.usedAt, r.revokedAt);
  }
  inviteById(id: string): CoachInviteRecord | null {
    const row = this.s.inviteById.get(id);
    return row ? toInvite(row) : null;
  }
  inviteByCodeHash(codeHash: Uint8Array): CoachInviteRecord | null {
    const row = this.s.inviteByHash.get(Buffer.from(codeHash));
    return row ? toInvite(row) : null;
  }
  listInvites(): (CoachInviteRecord & { coachId: string | null })[] {
    return this.s.listInvites.all().map((r) => ({ ...toInvite(r), coachId: r.coach_id }));
  }
  markInviteUsed(id: string, now: number): boolean {
    return this.s.markUsed.run(now, id, now).changes === 1;
  }
  revokeInvite(id: string, now: number): boolean {
    return this.s.revokeInvite.run(now, id).changes === 1;
  }

  insertCoach(r: CoachRecord, tokenHash: Uint8Array): void {
    this.s.insertCoach.run(Buffer.from(tokenHash), r.coachId, Buffer.from(r.boxPublicKey), r.inviteId, r.enrolledAt, r.revokedAt);
  }
  coachById(coachId: string): CoachRecord | null {
    const row = this.s.coachById.get(coachId);
    return row ? toCoach(row) : null;
  }
  coachByTokenHash(tokenHash: Uint8Array): CoachRecord | null {
    const row = this.s.coachByToken.get(Buffer.from(tokenHash));
    return row ? toCoach(row) : null;
  }
  listCoaches(now: number): (CoachRecord & { activeGrants: number })[] {
    return this.s.listCoaches.all(now).map((r) => ({ ...toCoach(r), activeGrants: num(r.active_grants) }));
  }
  revokeCoach(coachId: string, now: number): boolean {
    if (this.s.revokeCoach.run(now, coachId).changes !== 1) return false;
    this.s.deleteSummariesOfCoach.run(coachId);
    return true;
  }

  insertGrant(r: GrantRecord): void {
    this.s.insertGrant.run(r.grantId, r.clientId, r.coachId, Buffer.from(r.athleteBoxKey), r.createdAt, r.expiresAt, r.revokedAt);
  }
  grantById(grantId: string): GrantRecord | null {
    const row = this.s.grantById.get(grantId);
    return row ? toGrant(row) : null;
  }
  activeGrantsOf(coachId: string, now: number): GrantRecord[] {
    return this.s.activeGrants.all(coachId, now).map(toGrant);
  }
  revokeGrant(grantId: string, now: number): boolean {
    if (this.s.revokeGrant.run(now, grantId).changes !== 1) return false;
    this.s.deleteSummariesOfGrant.run(grantId);
    return true;
  }

  insertSummary(grantId: string, s: StoredSummary, keep: number): void {
    this.s.insertSummary.run(grantId, Buffer.from(s.nonce), Buffer.from(s.ciphertext), s.receivedAt);
    this.s.pruneSummaries.run(grantId, grantId, keep);
  }
  summariesOf(grantId: string, limit: number): StoredSummary[] {
    return this.s.summaries
      .all(grantId, limit)
      .reverse()
      .map((r) => ({ nonce: bytes(r.nonce), ciphertext: bytes(r.ciphertext), receivedAt: num(r.received_at) }));
  }
  purgeExpired(now: number): number {
    return this.s.purgeExpired.run(now).changes;
  }
  summaryCount(): number {
    return num(this.s.count.get()!.n);
  }
}
