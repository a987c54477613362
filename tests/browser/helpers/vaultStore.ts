/** What a disk thief would try on the athlete app's IndexedDB, and the app's keys and records read in the page. */
import { createDecipheriv } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface RawRecord {
  id: string;
  iv: number[];
  data: number[];
}
export interface RawWrapped {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: number[];
  iv: number[];
  data: number[];
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    // Chromium creates and removes temporary files while it runs.
    const s = statSync(p, { throwIfNoEntry: false });
    return !s ? [] : s.isDirectory() ? filesUnder(p) : s.isFile() ? [p] : [];
  });
}

/** Opens one sealed record with 32 candidate bytes (AES-256-GCM, the app's AAD), or returns false. */
export function opens(key: Buffer, r: RawRecord): boolean {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(r.iv));
    d.setAAD(Buffer.from(`huddle-record-v1:${r.id}`));
    const data = Buffer.from(r.data);
    d.setAuthTag(data.subarray(data.length - 16));
    d.update(data.subarray(0, data.length - 16));
    d.final();
    return true;
  } catch {
    return false;
  }
}

/** Every 32-byte window of every file of the profile's IndexedDB that opens the record: what a disk thief would try. */
export function keysOnDisk(userDataDir: string, record: RawRecord): string[] {
  const found: string[] = [];
  for (const file of filesUnder(join(userDataDir, 'Default', 'IndexedDB'))) {
    const bytes = readFileSync(file);
    for (let i = 0; i + 32 <= bytes.length; i++) if (opens(bytes.subarray(i, i + 32), record)) found.push(`${file}@${i}`);
  }
  return found;
}

/** The keys table and the smallest sealed record, read through IndexedDB in the page. */
export function readStore(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('huddle');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as T[]);
        req.onerror = () => reject(req.error);
      });
    const keys = await all<{ id: string; key?: CryptoKey; wrapped?: Record<string, unknown> & { kdf?: string } }>('keys');
    const records = await all<{ id: string; iv: Uint8Array; data: Uint8Array }>('records');
    db.close();
    const arr = (u: unknown) => Array.from(u as Uint8Array);
    const sorted = [...records].sort((a, b) => a.data.length - b.data.length).map((r) => ({ id: r.id, iv: arr(r.iv), data: arr(r.data) }));
    return {
      keys: keys.map((k) => ({ id: k.id, isCryptoKey: k.key instanceof CryptoKey, wrapped: k.wrapped ? { ...k.wrapped, salt: arr(k.wrapped.salt), iv: arr(k.wrapped.iv), data: arr(k.wrapped.data) } : null })),
      count: records.length,
      smallest: sorted[0]!,
      all: sorted,
    };
  });
}
