import type { TaskId } from '@huddle/shared/model';

export type StaffRole = 'admin' | 'analyst';

export interface CredentialRecord {
  id: string;
  role: StaffRole;
  createdAt: number;
  revokedAt: number | null;
  note: string | null;
}

export interface InviteRecord {
  id: string;
  tasks: TaskId[];
  note: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

export interface EnrollmentRecord {
  /** Random and pseudonymous: says nothing about the athlete. */
  clientId: string;
  publicKey: Uint8Array;
  tasks: TaskId[];
  inviteId: string | null;
  enrolledAt: number;
  revokedAt: number | null;
}

export interface CredentialTable {
  insert(record: CredentialRecord, tokenHash: Uint8Array): void;
  byId(id: string): CredentialRecord | null;
  byTokenHash(tokenHash: Uint8Array): CredentialRecord | null;
  countActive(role: StaffRole): number;
  revoke(id: string, now: number): boolean;
  /** Revokes every active credential of `role`; returns how many. */
  revokeRole(role: StaffRole, now: number): number;
}

export interface InviteTable {
  /** The secret key invite codes are hashed under (created on first use, 32 random bytes). */
  codeKey(): Uint8Array;
  insert(record: InviteRecord, codeHash: Uint8Array): void;
  byId(id: string): InviteRecord | null;
  byCodeHash(codeHash: Uint8Array): InviteRecord | null;
  list(): (InviteRecord & { clientId: string | null })[];
  /** Marks an invite used only if it is still pending at `now`; false when someone else got there first. */
  markUsed(id: string, now: number): boolean;
  revoke(id: string, now: number): boolean;
}

export interface EnrollmentTable {
  insert(record: EnrollmentRecord): void;
  byClientId(clientId: string): EnrollmentRecord | null;
  byPublicKey(publicKey: Uint8Array): EnrollmentRecord | null;
  revoke(clientId: string, now: number): boolean;
  /** Forgets the enrollment entirely (public key included) and replaces its id in the round history by a tombstone. */
  erase(clientId: string): boolean;
  summary(): { active: number; revoked: number; byTask: Partial<Record<TaskId, number>> };
}

export interface SignatureLog {
  /** Records a signature as used until `expiresAt`; false if it was already recorded. */
  claim(sigHash: Uint8Array, expiresAt: number, now: number): boolean;
  seen(sigHash: Uint8Array): boolean;
}

/** What identity, invites and enrollment need from durable storage. */
export interface SecurityStore {
  readonly credentials: CredentialTable;
  readonly invites: InviteTable;
  readonly enrollments: EnrollmentTable;
  readonly usedSignatures: SignatureLog;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
}
