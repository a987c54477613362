import { describe, expect, it } from 'vitest';
import { createDeviceKey, MemoryBacking, seal, SealedRecordError, SealedStore, unseal } from '../src/storage/sealed.ts';
import { Vault } from '../src/storage/vault.ts';
import type { DailyLogRow } from '@huddle/shared/log';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Every byte and string a backing holds, as text, to search for plaintext. */
function rawText(backing: MemoryBacking): string {
  return [...backing.map.values()].map((r) => `${r.id}|${decoder.decode(r.iv)}|${decoder.decode(r.data)}|${Buffer.from(r.data).toString('latin1')}`).join('\n');
}

function row(date: string, over: Partial<DailyLogRow> = {}): DailyLogRow {
  return {
    athleteId: 'Jane-Doe-Athlete',
    date,
    srpeLoad: 4321,
    readiness: 7.5,
    fatigue: 2,
    mood: 4,
    sleepQuality: 3,
    soreness: 2,
    stress: 4,
    sleepHours: 7.25,
    injury: 0,
    hrvRmssdMs: 87.5,
    restingHrBpm: 51,
    sex: null,
    sport: 'Handball',
    ...over,
  };
}

describe('encryption at rest (WebCrypto AES-GCM)', () => {
  it('uses a non-extractable AES-GCM-256 key', async () => {
    const key = await createDeviceKey();
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', key)).rejects.toThrow();
  });

  it('round-trips values and stores nothing readable', async () => {
    const key = await createDeviceKey();
    const backing = new MemoryBacking();
    const store = new SealedStore<{ secret: string; n: number }>(key, backing);
    const id = await store.add({ secret: 'knee pain after sprint session', n: 987654 });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await store.get(id)).toEqual({ secret: 'knee pain after sprint session', n: 987654 });
    const raw = rawText(backing);
    for (const needle of ['knee', 'sprint', '987654', 'secret']) expect(raw).not.toContain(needle);
    const [record] = backing.map.values();
    expect(Object.keys(record!).sort()).toEqual(['data', 'id', 'iv']);
    expect(record!.iv).toHaveLength(12);
  });

  it('uses a fresh IV per record and per write: equal values give different ciphertexts', async () => {
    const key = await createDeviceKey();
    const a = await seal(key, 'same-id', { v: 1 });
    const b = await seal(key, 'same-id', { v: 1 });
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false);
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) ivs.add(Buffer.from((await seal(key, `id${i}`, { v: 1 })).iv).toString('hex'));
    expect(ivs.size).toBe(200);
  });

  it('refuses a wrong key, an altered byte and a record moved to another id', async () => {
    const key = await createDeviceKey();
    const other = await createDeviceKey();
    const record = await seal(key, 'record-1', { readiness: 8 });
    await expect(unseal(other, record)).rejects.toBeInstanceOf(SealedRecordError);
    const tampered = { ...record, data: record.data.slice() };
    tampered.data[3]! ^= 1;
    await expect(unseal(key, tampered)).rejects.toBeInstanceOf(SealedRecordError);
    await expect(unseal(key, { ...record, id: 'record-2' })).rejects.toBeInstanceOf(SealedRecordError);
    expect(await unseal(key, record)).toEqual({ readiness: 8 });
  });
});

describe('Vault on an in-memory backing', () => {
  it('keeps log rows, identity and settings encrypted, with opaque ids', async () => {
    const key = await createDeviceKey();
    const backing = new MemoryBacking();
    const vault = await Vault.create(key, backing);
    await vault.upsertRows([row('2025-03-01'), row('2025-03-02', { injury: 1, readiness: 3.5 })]);
    await vault.setIdentity({ clientId: 'c-7f3a', publicKey: 'PUBKEYBASE64', secretKey: 'SECRETKEYBASE64', enrolledAt: '2025-03-01T00:00:00Z', tasksOffered: ['injury'] });
    await vault.setSettings({ consent: { injury: true, readiness: false }, consentedAt: '2025-03-01T00:00:00Z' });
    expect(backing.map.size).toBe(4);
    const raw = rawText(backing);
    for (const needle of ['2025-03', 'Handball', '4321', '87.5', 'SECRETKEY', 'c-7f3a', 'consent', 'readiness', 'athleteId']) {
      expect(raw, needle).not.toContain(needle);
    }
    for (const id of backing.map.keys()) expect(id).toMatch(/^[0-9a-f]{32}$/);

    const reopened = await Vault.create(key, backing);
    expect(reopened.rows().map((r) => r.date)).toEqual(['2025-03-01', '2025-03-02']);
    expect(reopened.rows()[1]).toMatchObject({ injury: 1, readiness: 3.5, athleteId: 'me' });
    expect(reopened.identity()?.clientId).toBe('c-7f3a');
    expect(reopened.settings().consent).toEqual({ injury: true, readiness: false });

    await expect(Vault.create(await createDeviceKey(), backing)).rejects.toBeInstanceOf(SealedRecordError);
  });

  it('replaces a day by date and resolves duplicates written by two contexts', async () => {
    const key = await createDeviceKey();
    const backing = new MemoryBacking();
    const page = await Vault.create(key, backing);
    const worker = await Vault.create(key, backing);
    expect(await page.upsertRows([row('2025-03-01')])).toEqual({ added: 1, replaced: 0 });
    expect(await page.upsertRows([row('2025-03-01', { readiness: 2 })])).toEqual({ added: 0, replaced: 1 });
    expect(backing.map.size).toBe(1);
    // The worker has not seen the page's row and writes the same day under another id.
    await new Promise((r) => setTimeout(r, 5));
    await worker.upsertRows([row('2025-03-01', { readiness: 9 })]);
    expect(backing.map.size).toBe(2);
    await page.refresh();
    expect(page.rows()).toHaveLength(1);
    expect(page.row('2025-03-01')?.readiness).toBe(9);
    expect(backing.map.size).toBe(1);
    expect(await page.deleteRow('2025-03-01')).toBe(true);
    expect(backing.map.size).toBe(0);
  });
});
