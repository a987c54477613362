/**
 * Passphrase wrapping of the vault key (docs/vault.md). The vault key is 32 random bytes, used through a
 * non-extractable AES-GCM CryptoKey; at rest only its wrapped form is stored: AES-GCM under a key derived from the
 * passphrase with Argon2id (hash-wasm, WebAssembly), the parameters and salt beside it. Without the passphrase the
 * stored bytes open nothing; a wrong passphrase fails authentication and changes nothing.
 */

/** RFC 9106's second recommended Argon2id setting (for memory-constrained devices): 64 MiB, 3 passes, 4 lanes. */
export const DEFAULT_KDF = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 } as const;

export interface KdfParams {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** What is stored instead of the key when a passphrase is set. */
export interface WrappedVaultKey extends KdfParams {
  kdf: 'argon2id';
  /** 16 random bytes, fresh for every wrapping. */
  salt: Uint8Array;
  iv: Uint8Array;
  /** AES-GCM(kek, vault key bytes) with its tag: 48 bytes. */
  data: Uint8Array;
}

export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('That passphrase does not unlock this device’s data. Nothing was changed; try again.');
  }
}

/** Short passphrases are refused: the guessing cost in docs/vault.md assumes at least this much. */
export const MIN_PASSPHRASE_LENGTH = 8;

export function passphraseProblem(passphrase: string): string | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return `Use at least ${MIN_PASSPHRASE_LENGTH} characters; four or more random words are best.`;
  return null;
}

const encoder = new TextEncoder();

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}

/** Binds the wrapping to its parameters: a file edited to weaker parameters no longer authenticates. */
function wrapAad(w: KdfParams & { salt: Uint8Array }): Uint8Array<ArrayBuffer> {
  return own(encoder.encode(`huddle-vault-key-v1:argon2id:${w.memoryKiB}:${w.iterations}:${w.parallelism}:${Array.from(w.salt).join('.')}`));
}

/** Argon2id of the passphrase (NFC-normalized, so the same words typed on another keyboard match). */
export async function deriveKek(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<CryptoKey> {
  const { argon2id } = await import('hash-wasm');
  const raw = await argon2id({
    password: encoder.encode(passphrase.normalize('NFC')),
    salt,
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  try {
    return await crypto.subtle.importKey('raw', own(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}

/** A fresh vault key: the non-extractable CryptoKey to use, and its raw bytes (wipe them once wrapped). */
export async function freshVaultKey(): Promise<{ key: CryptoKey; raw: Uint8Array<ArrayBuffer> }> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  return { key, raw };
}

export async function wrapVaultKey(raw: Uint8Array, passphrase: string, params: KdfParams = DEFAULT_KDF): Promise<WrappedVaultKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const kek = await deriveKek(passphrase, salt, params);
  const header = { memoryKiB: params.memoryKiB, iterations: params.iterations, parallelism: params.parallelism, salt };
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: wrapAad(header), tagLength: 128 }, kek, own(raw));
  return { kdf: 'argon2id', ...header, iv, data: new Uint8Array(data) };
}

/** The vault key's raw bytes; throws WrongPassphraseError when the passphrase (or the stored blob) is wrong. */
export async function unwrapVaultKeyBytes(wrapped: WrappedVaultKey, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  const kek = await deriveKek(passphrase, wrapped.salt, wrapped);
  try {
    const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: own(wrapped.iv), additionalData: wrapAad(wrapped), tagLength: 128 }, kek, own(wrapped.data));
    return new Uint8Array(raw);
  } catch {
    throw new WrongPassphraseError();
  }
}

/** The usable (non-extractable) vault key; the raw bytes are wiped before this returns. */
export async function unwrapVaultKey(wrapped: WrappedVaultKey, passphrase: string): Promise<CryptoKey> {
  const raw = await unwrapVaultKeyBytes(wrapped, passphrase);
  try {
    return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}
