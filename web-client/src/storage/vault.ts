import type { DailyLogRow } from '@huddle/shared/log';
import type { CoachShare } from '../coach/coachShare.ts';
import { DEFAULT_SETTINGS, type CachedModel, type Identity, type ParticipationRecord, type Settings, type TaskId } from '../types.ts';
import type { OutboxEntry } from '../engine/messages.ts';
import { DexieBacking, deviceKey, HuddleDb } from './db.ts';
import { PlannedDays } from './plannedDays.ts';
import { randomId, seal, unseal, type RecordBacking, type SealedRecord } from './sealed.ts';
import type { PublishedPrior } from '@huddle/shared/twin';

/** Every stored value, as it is before encryption. Only `{ id, iv, data }` reaches IndexedDB. */
export type VaultEntry =
  | { kind: 'log'; row: DailyLogRow; updatedAt: string }
  | { kind: 'identity'; identity: Identity; updatedAt: string }
  | { kind: 'settings'; settings: Settings; updatedAt: string }
  | { kind: 'model'; model: CachedModel; updatedAt: string }
  | { kind: 'participation'; participation: ParticipationRecord; updatedAt: string }
  | { kind: 'coaches'; coaches: CoachShare[]; updatedAt: string }
  | { kind: 'outbox'; entries: OutboxEntry[]; updatedAt: string }
  | { kind: 'twinPrior'; prior: PublishedPrior; updatedAt: string };

type SingletonKind = 'identity' | 'settings' | 'participation' | 'coaches' | 'outbox' | 'twinPrior';

/** How many sent messages the outbox keeps (newest first). */
export const OUTBOX_LIMIT = 200;

export interface BulkBacking extends RecordBacking {
  putMany?(records: SealedRecord[]): Promise<void>;
  deleteMany?(ids: string[]): Promise<void>;
}

/** Local athlete ids are not meaningful and never leave the device; every stored row uses this one. */
export const LOCAL_ATHLETE_ID = 'me';

/**
 * The athlete's encrypted on-device store. All records are decrypted into memory on `refresh()` (a log is
 * a few hundred small records); ids are random, so IndexedDB does not even reveal which record is which.
 */
export class Vault {
  private logIds = new Map<string, string>();
  private logRows = new Map<string, DailyLogRow>();
  private singletons = new Map<SingletonKind, { id: string; entry: VaultEntry }>();
  private models = new Map<TaskId, { id: string; model: CachedModel }>();
  private revision = 0;

  /** Accepted plans' days, in their own sealed table. */
  readonly planned: PlannedDays;

  private constructor(private readonly key: CryptoKey, private readonly backing: BulkBacking, private readonly onClose: () => void, plannedBacking?: RecordBacking) {
    this.planned = new PlannedDays(key, plannedBacking);
  }

  static async create(key: CryptoKey, backing: BulkBacking, onClose: () => void = () => {}, plannedBacking?: RecordBacking): Promise<Vault> {
    const vault = new Vault(key, backing, onClose, plannedBacking);
    await vault.refresh();
    return vault;
  }

  /** Opens the IndexedDB vault. The page creates the key on first use; the worker passes create=false. */
  static async open(create: boolean): Promise<Vault | null> {
    const db = new HuddleDb();
    const key = await deviceKey(db, create);
    if (!key) {
      db.close();
      return null;
    }
    return Vault.create(key, new DexieBacking(db), () => db.close(), new DexieBacking(db, db.planned));
  }

  /** Opens the IndexedDB vault with a key the caller holds (unlocked with the passphrase, or handed to the worker). */
  static async openWithKey(key: CryptoKey): Promise<Vault> {
    const db = new HuddleDb();
    return Vault.create(key, new DexieBacking(db), () => db.close(), new DexieBacking(db, db.planned));
  }

  /** The key records are sealed with (to hand to the worker, or to re-key the vault). */
  get sealingKey(): CryptoKey {
    return this.key;
  }

  /** Bumped on every change this instance makes or sees. */
  get version(): number {
    return this.revision;
  }

  /** Re-reads everything (another context, the worker or the page, may have written). */
  async refresh(): Promise<void> {
    await this.planned.refresh();
    const records = await this.backing.all();
    const entries = await Promise.all(records.map(async (r) => ({ id: r.id, entry: await unseal<VaultEntry>(this.key, r) })));
    // One live record per date / task / kind; older duplicates (two contexts racing) are removed.
    const latest = new Map<string, { id: string; entry: VaultEntry }>();
    const stale: string[] = [];
    for (const item of entries) {
      const { entry } = item;
      const slot = entry.kind === 'log' ? `log:${entry.row.date}` : entry.kind === 'model' ? `model:${entry.model.task}` : entry.kind;
      const other = latest.get(slot);
      if (!other) latest.set(slot, item);
      else if (other.entry.updatedAt >= entry.updatedAt) stale.push(item.id);
      else {
        stale.push(other.id);
        latest.set(slot, item);
      }
    }
    this.logIds = new Map();
    this.logRows = new Map();
    this.singletons = new Map();
    this.models = new Map();
    for (const { id, entry } of latest.values()) {
      if (entry.kind === 'log') {
        this.logIds.set(entry.row.date, id);
        this.logRows.set(entry.row.date, entry.row);
      } else if (entry.kind === 'model') this.models.set(entry.model.task, { id, model: entry.model });
      else this.singletons.set(entry.kind, { id, entry });
    }
    this.revision++;
    if (stale.length > 0) await this.deleteIds(stale);
  }

  close(): void {
    this.onClose();
  }

  /* ---------- the daily log ---------- */

  /** The athlete's rows in date order. */
  rows(): DailyLogRow[] {
    return [...this.logRows.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  row(date: string): DailyLogRow | null {
    return this.logRows.get(date) ?? null;
  }

  /** Adds or replaces rows by date. */
  async upsertRows(rows: readonly DailyLogRow[]): Promise<{ added: number; replaced: number }> {
    const now = new Date().toISOString();
    let added = 0;
    let replaced = 0;
    const sealed: SealedRecord[] = [];
    const staged = new Map<string, { id: string; row: DailyLogRow }>();
    for (const input of rows) {
      const row: DailyLogRow = { ...input, athleteId: LOCAL_ATHLETE_ID };
      const known = staged.get(row.date)?.id ?? this.logIds.get(row.date);
      if (known) replaced++;
      else added++;
      const id = known ?? randomId();
      staged.set(row.date, { id, row });
    }
    for (const { id, row } of staged.values()) sealed.push(await seal(this.key, id, { kind: 'log', row, updatedAt: now } satisfies VaultEntry));
    if (this.backing.putMany) await this.backing.putMany(sealed);
    else for (const r of sealed) await this.backing.put(r);
    for (const [date, { id, row }] of staged) {
      this.logIds.set(date, id);
      this.logRows.set(date, row);
    }
    this.revision++;
    return { added, replaced };
  }

  async deleteRow(date: string): Promise<boolean> {
    const id = this.logIds.get(date);
    if (!id) return false;
    await this.backing.delete(id);
    this.logIds.delete(date);
    this.logRows.delete(date);
    this.revision++;
    return true;
  }

  /* ---------- singletons ---------- */

  identity(): Identity | null {
    const e = this.singletons.get('identity')?.entry;
    return e?.kind === 'identity' ? e.identity : null;
  }

  async setIdentity(identity: Identity | null): Promise<void> {
    await this.putSingleton('identity', identity ? { kind: 'identity', identity, updatedAt: new Date().toISOString() } : null);
  }

  settings(): Settings {
    const e = this.singletons.get('settings')?.entry;
    return e?.kind === 'settings' ? e.settings : structuredClone(DEFAULT_SETTINGS);
  }

  async setSettings(settings: Settings): Promise<void> {
    await this.putSingleton('settings', { kind: 'settings', settings, updatedAt: new Date().toISOString() });
  }

  participation(): ParticipationRecord {
    const e = this.singletons.get('participation')?.entry;
    return e?.kind === 'participation' ? e.participation : { last: null, recent: [] };
  }

  async setParticipation(participation: ParticipationRecord): Promise<void> {
    await this.putSingleton('participation', { kind: 'participation', participation, updatedAt: new Date().toISOString() });
  }

  /** The coaches this athlete shares summaries with, each with its own box key pair (docs/coach.md). */
  coaches(): CoachShare[] {
    const e = this.singletons.get('coaches')?.entry;
    return e?.kind === 'coaches' ? e.coaches : [];
  }

  async setCoaches(coaches: CoachShare[]): Promise<void> {
    await this.putSingleton('coaches', { kind: 'coaches', coaches, updatedAt: new Date().toISOString() });
  }

  /** What this device sent, newest first (written by the worker, which sends). */
  outbox(): OutboxEntry[] {
    const e = this.singletons.get('outbox')?.entry;
    return e?.kind === 'outbox' ? e.entries : [];
  }

  async addOutbox(entries: readonly OutboxEntry[]): Promise<void> {
    const all = [...[...entries].reverse(), ...this.outbox()].slice(0, OUTBOX_LIMIT);
    await this.putSingleton('outbox', { kind: 'outbox', entries: all, updatedAt: new Date().toISOString() });
  }

  /** The federation's twin prior last downloaded (for the Plan screen offline); null before the first. */
  twinPrior(): PublishedPrior | null {
    const e = this.singletons.get('twinPrior')?.entry;
    return e?.kind === 'twinPrior' ? e.prior : null;
  }

  async setTwinPrior(prior: PublishedPrior): Promise<void> {
    await this.putSingleton('twinPrior', { kind: 'twinPrior', prior, updatedAt: new Date().toISOString() });
  }

  /* ---------- cached global models ---------- */

  model(task: TaskId): CachedModel | null {
    return this.models.get(task)?.model ?? null;
  }

  async setModel(model: CachedModel): Promise<void> {
    const id = this.models.get(model.task)?.id ?? randomId();
    await this.backing.put(await seal(this.key, id, { kind: 'model', model, updatedAt: new Date().toISOString() } satisfies VaultEntry));
    this.models.set(model.task, { id, model });
    this.revision++;
  }

  /** Number of stored records (for the privacy screen). */
  counts(): { days: number; records: number } {
    return { days: this.logRows.size, records: this.logRows.size + this.singletons.size + this.models.size };
  }

  private async putSingleton(kind: SingletonKind, entry: VaultEntry | null): Promise<void> {
    const existing = this.singletons.get(kind);
    if (entry === null) {
      if (existing) await this.backing.delete(existing.id);
      this.singletons.delete(kind);
    } else {
      const id = existing?.id ?? randomId();
      await this.backing.put(await seal(this.key, id, entry));
      this.singletons.set(kind, { id, entry });
    }
    this.revision++;
  }

  private async deleteIds(ids: string[]): Promise<void> {
    if (this.backing.deleteMany) await this.backing.deleteMany(ids);
    else for (const id of ids) await this.backing.delete(id);
  }
}
