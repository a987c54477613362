import Dexie, { type EntityTable } from 'dexie';
import type { WrappedVaultKey } from './keyWrap.ts';
import type { PasskeyWrappedVaultKey } from './passkeyWrap.ts';
import { createDeviceKey, type RecordBacking, type SealedRecord } from './sealed.ts';

/** The app's only IndexedDB database. Erasing the athlete's data deletes it whole. */
export const DB_NAME = 'huddle';
export const DEVICE_KEY_ID = 'device';
/** The row holding the vault key wrapped under a passphrase or a passkey instead (storage/vaultKey.ts); never both rows. */
export const WRAPPED_KEY_ID = 'wrapped';

export interface KeyRow {
  id: string;
  /** Non-extractable AES-GCM CryptoKey (structured-cloned by IndexedDB; its bytes are unreadable to script, not to the disk). */
  key?: CryptoKey;
  /** The vault key wrapped under the athlete's passphrase (storage/keyWrap.ts) or passkey (storage/passkeyWrap.ts). */
  wrapped?: WrappedVaultKey | PasskeyWrappedVaultKey;
}

export class HuddleDb extends Dexie {
  keys!: EntityTable<KeyRow, 'id'>;
  records!: EntityTable<SealedRecord, 'id'>;
  /** Planned (accepted) training days, sealed like the log. Added in version 2; version 1 databases keep their tables. */
  planned!: EntityTable<SealedRecord, 'id'>;

  constructor() {
    super(DB_NAME);
    this.version(1).stores({ keys: 'id', records: 'id' });
    this.version(2).stores({ keys: 'id', records: 'id', planned: 'id' });
    // When any context deletes the database (the athlete erased everything), close for good here: re-opening would
    // silently create a new, empty database.
    this.on('versionchange', (event) => {
      if (event.newVersion === null) {
        this.close({ disableAutoOpen: true });
        return false;
      }
      return undefined;
    });
  }
}

/** The device key; created on first use when `create` (the page), only read otherwise (the worker). */
export async function deviceKey(db: HuddleDb, create: boolean): Promise<CryptoKey | null> {
  // Opening a database that does not exist creates it: only the page may do that.
  if (!create && !(await Dexie.exists(DB_NAME))) return null;
  const existing = await db.keys.get(DEVICE_KEY_ID);
  if (existing?.key) return existing.key;
  if (!create || (await db.keys.get(WRAPPED_KEY_ID))) return null;
  const fresh = await createDeviceKey();
  // Another context may have raced us: the first key written wins.
  return db.transaction('rw', db.keys, async () => {
    const again = await db.keys.get(DEVICE_KEY_ID);
    if (again?.key) return again.key;
    if (await db.keys.get(WRAPPED_KEY_ID)) return null;
    await db.keys.put({ id: DEVICE_KEY_ID, key: fresh });
    return fresh;
  });
}

export class DexieBacking implements RecordBacking {
  constructor(
    db: HuddleDb,
    private readonly table: EntityTable<SealedRecord, 'id'> = db.records,
  ) {}

  all(): Promise<SealedRecord[]> {
    return this.table.toArray();
  }

  get(id: string): Promise<SealedRecord | undefined> {
    return this.table.get(id);
  }

  async put(record: SealedRecord): Promise<void> {
    await this.table.put(record);
  }

  async putMany(records: SealedRecord[]): Promise<void> {
    await this.table.bulkPut(records);
  }

  async delete(id: string): Promise<void> {
    await this.table.delete(id);
  }

  async deleteMany(ids: string[]): Promise<void> {
    await this.table.bulkDelete(ids);
  }
}

/** Deletes the whole database: every record and the device key. Other open connections must be closed first. */
export async function deleteDatabase(): Promise<void> {
  await Dexie.delete(DB_NAME);
}
