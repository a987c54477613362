/**
 * Passkey wrapping of the vault key (docs/vault.md): the key-encryption key comes from the passkey's WebAuthn PRF
 * extension (hmac-secret on the authenticator), evaluated on a random salt stored beside the wrapping. The PRF
 * output never leaves the authenticator except to this page, is never stored, and is wiped once used; without the
 * authenticator (and its user verification) the stored bytes open nothing. No server takes part: the WebAuthn
 * challenge is local and random, because nothing is being proved to anyone, only a secret derived.
 */

import { bytesToBase64Url } from '@huddle/shared/util';

export interface PasskeyWrappedVaultKey {
  kdf: 'webauthn-prf';
  /** The passkey's credential id, asked for by id at unlock. */
  credentialId: Uint8Array;
  /** 32 random bytes: the PRF input, fresh for every wrapping. */
  salt: Uint8Array;
  iv: Uint8Array;
  /** AES-GCM(kek, vault key bytes) with its tag: 48 bytes. */
  data: Uint8Array;
}

/** The passkey and its PRF output, for one wrapping; wipe `secret` once used. */
export interface PasskeySecret {
  credentialId: Uint8Array;
  salt: Uint8Array;
  secret: Uint8Array;
}

export class PasskeyError extends Error {
  override name = 'PasskeyError';
}

export class WrongPasskeyError extends Error {
  override name = 'WrongPasskeyError';
  constructor() {
    super('That passkey does not unlock this device’s data. Nothing was changed; try the passkey you set up here.');
  }
}

const encoder = new TextEncoder();
const RP_NAME = 'Huddle';

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}

/** Whether this browser offers WebAuthn at all (whether the passkey has PRF is known only once it answers). */
export function passkeysAvailable(): boolean {
  return typeof PublicKeyCredential !== 'undefined' && !!navigator.credentials;
}

function refusal(err: unknown): PasskeyError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError') return new PasskeyError('The passkey did not answer (cancelled, timed out, or not on this device). Nothing was changed.');
  if (name === 'SecurityError') return new PasskeyError('Passkeys need the app at a web address (a domain name over HTTPS, or localhost), not a bare IP address. Nothing was changed; use a passphrase instead.');
  if (name === 'InvalidStateError') return new PasskeyError('This authenticator already holds a Huddle passkey for this device. Nothing was changed.');
  return new PasskeyError(`The passkey could not be used (${err instanceof Error ? err.message : String(err)}). Nothing was changed.`);
}

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: BufferSource } } };

function prfOutput(ext: PrfResults): Uint8Array | null {
  const first = ext.prf?.results?.first;
  if (!first) return null;
  return first instanceof ArrayBuffer ? new Uint8Array(first) : new Uint8Array(first.buffer, first.byteOffset, first.byteLength).slice();
}

type SignalApi = { signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void> };

/**
 * Tells the athlete's authenticator that a passkey this app made is no longer used (replaced, removed, erased, or
 * never usable), so it can delete it rather than list a dead "Huddle athlete" passkey (the WebAuthn Signal API).
 * False where the browser lacks the API or refuses; nothing else depends on it.
 */
export async function forgetPasskey(credentialId: Uint8Array): Promise<boolean> {
  const api = (typeof PublicKeyCredential === 'undefined' ? {} : PublicKeyCredential) as SignalApi;
  if (typeof api.signalUnknownCredential !== 'function') return false;
  try {
    await api.signalUnknownCredential({ rpId: location.hostname, credentialId: bytesToBase64Url(credentialId) });
    return true;
  } catch {
    return false;
  }
}

/** The PRF output of an existing passkey on `salt`, after the authenticator verified the user. */
export async function evaluatePasskey(credentialId: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  let credential: Credential | null;
  try {
    credential = await navigator.credentials.get({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        allowCredentials: [{ type: 'public-key', id: own(credentialId) }],
        userVerification: 'required',
        extensions: { prf: { eval: { first: own(salt) } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch (err) {
    throw refusal(err);
  }
  const out = credential ? prfOutput((credential as PublicKeyCredential).getClientExtensionResults() as PrfResults) : null;
  if (!out || out.length < 32) throw new PasskeyError('This passkey cannot derive a key (its authenticator lacks the WebAuthn PRF extension). Nothing was changed; use a passphrase instead.');
  return out;
}

/** Makes a passkey for this app on this device and evaluates its PRF on a fresh salt. */
export async function createPasskey(): Promise<PasskeySecret> {
  const salt = crypto.getRandomValues(new Uint8Array(32));
  let credential: Credential | null;
  try {
    credential = await navigator.credentials.create({
      publicKey: {
        rp: { name: RP_NAME },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'Huddle athlete', displayName: 'Huddle athlete' },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch (err) {
    throw refusal(err);
  }
  if (!credential) throw new PasskeyError('No passkey was made. Nothing was changed.');
  const pk = credential as PublicKeyCredential;
  const ext = pk.getClientExtensionResults() as PrfResults;
  const credentialId = new Uint8Array(pk.rawId);
  try {
    if (ext.prf?.enabled === false) throw new PasskeyError('This authenticator cannot derive a key (no WebAuthn PRF extension). Nothing was changed; use a passphrase instead.');
    // Some authenticators answer the PRF only on an assertion, not when the passkey is made.
    const secret = prfOutput(ext) ?? (await evaluatePasskey(credentialId, salt));
    return { credentialId, salt, secret };
  } catch (err) {
    await forgetPasskey(credentialId);
    throw err;
  }
}

/** Binds the wrapping to its passkey and salt: a row edited to another credential no longer authenticates. */
function wrapAad(credentialId: Uint8Array, salt: Uint8Array): Uint8Array<ArrayBuffer> {
  return own(encoder.encode(`huddle-vault-key-v1:webauthn-prf:${Array.from(credentialId).join('.')}:${Array.from(salt).join('.')}`));
}

async function kekFrom(secret: Uint8Array, salt: Uint8Array): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', own(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: own(salt), info: own(encoder.encode('huddle-vault-kek-v1')) }, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function wrapVaultKeyWithPasskey(raw: Uint8Array, p: PasskeySecret): Promise<PasskeyWrappedVaultKey> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const kek = await kekFrom(p.secret, p.salt);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: wrapAad(p.credentialId, p.salt), tagLength: 128 }, kek, own(raw));
  return { kdf: 'webauthn-prf', credentialId: p.credentialId.slice(), salt: p.salt.slice(), iv, data: new Uint8Array(data) };
}

/** The usable (non-extractable) vault key; asks the passkey; throws PasskeyError or WrongPasskeyError. */
export async function unwrapVaultKeyWithPasskey(wrapped: PasskeyWrappedVaultKey): Promise<CryptoKey> {
  const secret = await evaluatePasskey(wrapped.credentialId, wrapped.salt);
  let raw: Uint8Array<ArrayBuffer>;
  try {
    const kek = await kekFrom(secret, wrapped.salt);
    raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: own(wrapped.iv), additionalData: wrapAad(wrapped.credentialId, wrapped.salt), tagLength: 128 }, kek, own(wrapped.data)));
  } catch {
    throw new WrongPasskeyError();
  } finally {
    secret.fill(0);
  }
  try {
    return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}
