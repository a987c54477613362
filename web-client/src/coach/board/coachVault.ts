import Dexie, { type EntityTable } from 'dexie';
import { createDeviceKey, SealedStore, type RecordBacking, type SealedRecord } from '../../storage/sealed.ts';

/** The coach's own database, apart from an athlete's on the same browser. */
export const COACH_DB_NAME = 'huddle-coach';
const DEVICE_KEY_ID = 'device';
const IDENTITY_ID = 'coach-identity';

/** This device's coach enrollment. The box secret key never leaves the device; it is sealed at rest like the athlete's log. */
export interface CoachIdentity {
  coachId: string;
  /** The coach's bearer token for reading the board. */
  token: string;
  boxPublicKey: string;
  boxSecretKey: string;
  enrolledAt: string;
}

class CoachDb extends Dexie {
  keys!: EntityTable<{ id: string; key: CryptoKey }, 'id'>;
  records!: EntityTable<SealedRecord, 'id'>;
  constructor() {
    super(COACH_DB_NAME);
    this.version(1).stores({ keys: 'id', records: 'id' });
  }
}

class TableBacking implements RecordBacking {
  constructor(private readonly table: EntityTable<SealedRecord, 'id'>) {}
  all() {
    return this.table.toArray();
  }
  get(id: string) {
    return this.table.get(id);
  }
  async put(r: SealedRecord) {
    await this.table.put(r);
  }
  async delete(id: string) {
    await this.table.delete(id);
  }
}

/** The coach's sealed store: a non-extractable AES-GCM device key in IndexedDB, records encrypted under it. */
export class CoachVault {
  private constructor(private readonly store: SealedStore<CoachIdentity>) {}

  static async open(): Promise<CoachVault> {
    const db = new CoachDb();
    let key = (await db.keys.get(DEVICE_KEY_ID))?.key;
    if (!key) {
      const fresh = await createDeviceKey();
      key = await db.transaction('rw', db.keys, async () => {
        const again = await db.keys.get(DEVICE_KEY_ID);
        if (again) return again.key;
        await db.keys.put({ id: DEVICE_KEY_ID, key: fresh });
        return fresh;
      });
    }
    return new CoachVault(new SealedStore<CoachIdentity>(key, new TableBacking(db.records)));
  }

  identity(): Promise<CoachIdentity | undefined> {
    return this.store.get(IDENTITY_ID);
  }

  setIdentity(identity: CoachIdentity): Promise<void> {
    return this.store.put(IDENTITY_ID, identity);
  }
}
