/**
 * Encryption at rest, independent of IndexedDB so it can be tested anywhere WebCrypto exists.
 *
 * Decision: a device key. On first use the app generates a random 256-bit AES-GCM key with
 * `extractable: false` and keeps the CryptoKey object in IndexedDB (browsers store it by structured
 * clone; its raw bytes can never be read back by script, exported or sent). No passphrase to forget or
 * type on a phone every morning. Each record is encrypted with a fresh random 96-bit IV and the record id
 * as additional authenticated data, so a record cannot be swapped for another or altered unnoticed.
 * What this protects: the log in IndexedDB files, backups, disk images and anything else reading the
 * browser's storage outside this origin sees only ids, IVs and ciphertext. What it cannot protect: code
 * running in this origin (which can ask the browser to use the key), as with any web app.
 */
export interface SealedRecord {
  /** Random, meaningless id (32 hex characters). */
  id: string;
  /** 12-byte AES-GCM nonce, fresh for every write. */
  iv: Uint8Array;
  /** AES-GCM ciphertext followed by its 16-byte tag. */
  data: Uint8Array;
}

/** Where sealed records live: IndexedDB in the app, a Map in tests. */
export interface RecordBacking {
  all(): Promise<SealedRecord[]>;
  get(id: string): Promise<SealedRecord | undefined>;
  put(record: SealedRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

const AAD_PREFIX = 'huddle-record-v1:';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto is not available here (the app needs a secure context: https or localhost)');
  return s;
}

/** A fresh non-extractable AES-GCM-256 key for encrypt/decrypt only. */
export function createDeviceKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}

export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Copies into a fresh ArrayBuffer-backed array (WebCrypto wants BufferSource over an ArrayBuffer). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}

export async function seal(key: CryptoKey, id: string, value: unknown): Promise<SealedRecord> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = encoder.encode(JSON.stringify(value));
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(AAD_PREFIX + id), tagLength: 128 }, key, plaintext);
  return { id, iv, data: new Uint8Array(ct) };
}

export class SealedRecordError extends Error {
  override name = 'SealedRecordError';
}

/** Decrypts and authenticates; throws SealedRecordError for a wrong key, a swapped id or tampered bytes. */
export async function unseal<T = unknown>(key: CryptoKey, record: SealedRecord): Promise<T> {
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: own(record.iv), additionalData: encoder.encode(AAD_PREFIX + record.id), tagLength: 128 },
      key,
      own(record.data),
    );
  } catch {
    throw new SealedRecordError('a stored record could not be decrypted (wrong key or altered data)');
  }
  return JSON.parse(decoder.decode(plain)) as T;
}

/** Typed values under opaque ids, encrypted with one key. */
export class SealedStore<T> {
  constructor(private readonly key: CryptoKey, private readonly backing: RecordBacking) {}

  async put(id: string, value: T): Promise<void> {
    await this.backing.put(await seal(this.key, id, value));
  }

  /** Stores under a new random id and returns it. */
  async add(value: T): Promise<string> {
    const id = randomId();
    await this.put(id, value);
    return id;
  }

  async get(id: string): Promise<T | undefined> {
    const record = await this.backing.get(id);
    return record ? unseal<T>(this.key, record) : undefined;
  }

  async entries(): Promise<{ id: string; value: T }[]> {
    const records = await this.backing.all();
    return Promise.all(records.map(async (r) => ({ id: r.id, value: await unseal<T>(this.key, r) })));
  }

  delete(id: string): Promise<void> {
    return this.backing.delete(id);
  }
}

/** In-memory backing (tests; also a fallback nowhere in the app). Stores copies, like IndexedDB does. */
export class MemoryBacking implements RecordBacking {
  readonly map = new Map<string, SealedRecord>();

  async all(): Promise<SealedRecord[]> {
    return [...this.map.values()].map(copy);
  }

  async get(id: string): Promise<SealedRecord | undefined> {
    const r = this.map.get(id);
    return r ? copy(r) : undefined;
  }

  async put(record: SealedRecord): Promise<void> {
    this.map.set(record.id, copy(record));
  }

  async delete(id: string): Promise<void> {
    this.map.delete(id);
  }
}

function copy(r: SealedRecord): SealedRecord {
  return { id: r.id, iv: r.iv.slice(), data: r.data.slice() };
}
