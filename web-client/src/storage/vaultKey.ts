import Dexie, { type Table } from 'dexie';
import { DEVICE_KEY_ID, deviceKey, HuddleDb, WRAPPED_KEY_ID, type KeyRow } from './db.ts';
import { freshVaultKey, unwrapVaultKey, wrapVaultKey, type KdfParams, type WrappedVaultKey } from './keyWrap.ts';
import { forgetPasskey, wrapVaultKeyWithPasskey, type PasskeySecret, type PasskeyWrappedVaultKey } from './passkeyWrap.ts';
import { createDeviceKey, seal, unseal, type SealedRecord } from './sealed.ts';

export type StoredWrapping = WrappedVaultKey | PasskeyWrappedVaultKey;

/** How the vault key is kept at rest: as a browser-held CryptoKey (default), or wrapped under a passphrase or a passkey. */
export type VaultKeyState = { state: 'open'; key: CryptoKey } | { state: 'locked'; wrapped: StoredWrapping };

/** `passkey.secret` is wiped once the new key is wrapped. */
export type Protection = { kind: 'device' } | { kind: 'passphrase'; passphrase: string; kdf?: KdfParams } | { kind: 'passkey'; passkey: PasskeySecret };

async function wrapUnder(raw: Uint8Array, protection: Exclude<Protection, { kind: 'device' }>): Promise<StoredWrapping> {
  switch (protection.kind) {
    case 'passphrase':
      return wrapVaultKey(raw, protection.passphrase, protection.kdf);
    case 'passkey':
      return wrapVaultKeyWithPasskey(raw, protection.passkey);
    default: {
      const never: never = protection;
      throw new Error(`unknown protection ${(never as { kind: string }).kind}`);
    }
  }
}

/** The page's view of the key: null when the database does not exist and `create` is false. */
export async function readVaultKey(create: boolean): Promise<VaultKeyState | null> {
  const db = new HuddleDb();
  try {
    const wrapped = await db.keys.get(WRAPPED_KEY_ID).catch(() => undefined);
    if (wrapped?.wrapped) return { state: 'locked', wrapped: wrapped.wrapped };
    const key = await deviceKey(db, create);
    if (key) return { state: 'open', key };
    const raced = await db.keys.get(WRAPPED_KEY_ID);
    return raced?.wrapped ? { state: 'locked', wrapped: raced.wrapped } : null;
  } finally {
    db.close();
  }
}

/** Unlocks with the passphrase; throws WrongPassphraseError and touches nothing when it is wrong. */
export function unlockVault(wrapped: WrappedVaultKey, passphrase: string): Promise<CryptoKey> {
  return unwrapVaultKey(wrapped, passphrase);
}

function isSealed(row: unknown): row is SealedRecord {
  const r = row as Partial<SealedRecord> | null;
  return !!r && typeof r.id === 'string' && r.iv instanceof Uint8Array && r.data instanceof Uint8Array;
}

function sameRows(a: SealedRecord[], b: SealedRecord[]): boolean {
  if (a.length !== b.length) return false;
  const ivs = new Map(a.map((r) => [r.id, r.iv]));
  return b.every((r) => {
    const iv = ivs.get(r.id);
    return !!iv && iv.length === r.iv.length && iv.every((x, i) => x === r.iv[i]);
  });
}

/**
 * Re-encrypts every sealed record (every table but `keys`, so tables other features add are covered) under a fresh
 * vault key and stores that key under the new protection, all in one IndexedDB transaction: a crash leaves either the
 * old key and records or the new ones. The engine must be stopped first (it writes records); a write from elsewhere
 * between reading and committing is detected and the whole step retried.
 */
export async function rekeyVault(oldKey: CryptoKey, protection: Protection): Promise<void> {
  const db = new HuddleDb();
  const made = protection.kind === 'passkey' ? protection.passkey.credentialId.slice() : null;
  let committed = false;
  let replaced: Uint8Array | null = null;
  try {
    await db.open();
    replaced = passkeyOf((await db.keys.get(WRAPPED_KEY_ID))?.wrapped);
    const tables = db.tables.filter((t) => t.name !== 'keys') as Table<SealedRecord, string>[];
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = new Map<string, SealedRecord[]>();
      for (const t of tables) before.set(t.name, (await t.toArray()).filter(isSealed));
      const fresh = protection.kind === 'device' ? { key: await createDeviceKey(), raw: null } : await freshVaultKey();
      let keyRow: KeyRow;
      try {
        keyRow =
          protection.kind === 'device' || !fresh.raw
            ? { id: DEVICE_KEY_ID, key: fresh.key }
            : { id: WRAPPED_KEY_ID, wrapped: await wrapUnder(fresh.raw, protection) };
      } finally {
        fresh.raw?.fill(0);
      }
      const after = new Map<string, SealedRecord[]>();
      for (const [name, rows] of before) after.set(name, await Promise.all(rows.map(async (r) => seal(fresh.key, r.id, await unseal(oldKey, r)))));
      committed = await db
        .transaction('rw', [db.keys, ...tables], async () => {
          for (const t of tables) if (!sameRows(before.get(t.name)!, (await t.toArray()).filter(isSealed))) return false;
          for (const t of tables) {
            await t.clear();
            await t.bulkPut(after.get(t.name)!);
          }
          await db.keys.clear();
          await db.keys.put(keyRow);
          return true;
        })
        .catch((err: unknown) => {
          throw err instanceof Dexie.DexieError ? new Error(`the browser database refused the change (${err.message}); nothing was changed`) : err;
        });
      if (committed) return;
    }
    throw new Error('the data kept changing while it was being re-encrypted; nothing was changed, try again');
  } finally {
    db.close();
    if (protection.kind === 'passkey') protection.passkey.secret.fill(0);
    // The passkey no wrapping uses any more: the one replaced, or the one made for a change that did not happen.
    const unused = committed ? replaced : made;
    if (unused && !(committed && made && sameBytes(unused, made))) await forgetPasskey(unused);
  }
}

/** The passkey a stored wrapping needs, if it is one. */
export function passkeyOf(wrapped: StoredWrapping | undefined): Uint8Array | null {
  return wrapped?.kdf === 'webauthn-prf' ? wrapped.credentialId : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
