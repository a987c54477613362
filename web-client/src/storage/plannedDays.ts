import { randomId, seal, unseal, type RecordBacking, type SealedRecord } from './sealed.ts';

/** One accepted planned day: the load to do and why the plan chose it. */
export interface PlannedDay {
  date: string;
  /** sRPE load, AU (0 = rest). */
  load: number;
  reason: string;
  acceptedAt: string;
}

interface PlannedEntry {
  kind: 'planned';
  day: PlannedDay;
}

class MemoryBacking implements RecordBacking {
  private readonly map = new Map<string, SealedRecord>();
  async all() {
    return [...this.map.values()];
  }
  async get(id: string) {
    return this.map.get(id);
  }
  async put(r: SealedRecord) {
    this.map.set(r.id, r);
  }
  async delete(id: string) {
    this.map.delete(id);
  }
}

/** Planned days, sealed with the device key like every other record (only `{ id, iv, data }` reaches IndexedDB). */
export class PlannedDays {
  private byDate = new Map<string, { id: string; day: PlannedDay }>();

  constructor(private readonly key: CryptoKey, private readonly backing: RecordBacking = new MemoryBacking()) {}

  async refresh(): Promise<void> {
    const records = await this.backing.all();
    const next = new Map<string, { id: string; day: PlannedDay }>();
    for (const r of records) {
      const entry = await unseal<PlannedEntry>(this.key, r);
      const other = next.get(entry.day.date);
      if (other && other.day.acceptedAt >= entry.day.acceptedAt) await this.backing.delete(r.id);
      else {
        if (other) await this.backing.delete(other.id);
        next.set(entry.day.date, { id: r.id, day: entry.day });
      }
    }
    this.byDate = next;
  }

  /** Planned days in date order. */
  days(): PlannedDay[] {
    return [...this.byDate.values()].map((x) => x.day).sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** Stores an accepted plan, replacing any planned day of the same dates. */
  async accept(days: readonly Omit<PlannedDay, 'acceptedAt'>[]): Promise<void> {
    const acceptedAt = new Date().toISOString();
    for (const d of days) {
      const id = this.byDate.get(d.date)?.id ?? randomId();
      const day = { ...d, acceptedAt };
      await this.backing.put(await seal(this.key, id, { kind: 'planned', day } satisfies PlannedEntry));
      this.byDate.set(d.date, { id, day });
    }
  }

  async clear(): Promise<void> {
    for (const { id } of this.byDate.values()) await this.backing.delete(id);
    this.byDate.clear();
  }
}
