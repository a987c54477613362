import nacl from 'tweetnacl';
import { bytesEqual, concatBytes, copyBytes, isAllZero, randomBytes, type Bytes } from './bytes.ts';
import { SecAggError } from './errors.ts';
import { base64UrlToBytes } from '../util/base64.ts';

export interface X25519KeyPair {
  readonly publicKey: Bytes;
  /** Raw scalar, present only when the pair was generated exportable (the masking key s_u is secret-shared). */
  readonly secretKey: Bytes | null;
  readonly handle: CryptoKey | Bytes;
}

/** Two interchangeable implementations producing identical bytes: WebCrypto (fast) and tweetnacl (everywhere). */
export interface X25519Backend {
  readonly name: 'webcrypto' | 'tweetnacl';
  generateKeyPair(exportable: boolean): Promise<X25519KeyPair>;
  /** Rebuilds a pair (and its public key) from a raw scalar, e.g. a reconstructed s_u^SK. */
  fromSecretKey(secretKey: Uint8Array): Promise<X25519KeyPair>;
  /**
   * Raw shared secret (the HKDF input of kdf.ts; the caller wipes it); SecAggError WEAK_KEY for a low-order peer key
   * (all-zero output).
   */
  sharedSecret(own: X25519KeyPair, peerPublicKey: Uint8Array): Promise<Bytes>;
}

export const X25519_KEY_BYTES = 32;

function weakKey(cause?: unknown): SecAggError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new SecAggError('WEAK_KEY', `X25519 agreement failed (low-order or invalid public key)${detail}`);
}

function checkKeyLength(key: Uint8Array): void {
  if (key.length !== X25519_KEY_BYTES) throw new SecAggError('INVALID_MESSAGE', 'X25519 keys are 32 bytes');
}

export function tweetnaclX25519(): X25519Backend {
  const pair = (sk: Bytes, exportable: boolean): X25519KeyPair => ({
    publicKey: copyBytes(nacl.scalarMult.base(sk)),
    secretKey: exportable ? sk : null,
    handle: sk,
  });
  const sharedSecret = async (own: X25519KeyPair, peer: Uint8Array): Promise<Bytes> => {
    checkKeyLength(peer);
    const secret = copyBytes(nacl.scalarMult(own.handle as Bytes, peer));
    if (isAllZero(secret)) throw weakKey();
    return secret;
  };
  return {
    name: 'tweetnacl',
    generateKeyPair: async (exportable) => pair(randomBytes(X25519_KEY_BYTES), exportable),
    fromSecretKey: async (sk) => {
      checkKeyLength(sk);
      return pair(copyBytes(sk), true);
    },
    sharedSecret,
  };
}

// RFC 8410 PKCS#8 wrapping of a raw X25519 private key: the only private import format WebCrypto offers besides JWK.
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_ALG = { name: 'X25519' } as const;

export function webCryptoX25519(): X25519Backend {
  const subtle = crypto.subtle;
  const importPeer = (peer: Uint8Array): Promise<CryptoKey> => {
    checkKeyLength(peer);
    return subtle.importKey('raw', copyBytes(peer), X25519_ALG, true, []);
  };
  const sharedSecret = async (own: X25519KeyPair, peer: Uint8Array): Promise<Bytes> => {
    const pub = await importPeer(peer);
    let secret: Bytes;
    try {
      secret = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, own.handle as CryptoKey, 256));
    } catch (e) {
      throw weakKey(e);
    }
    if (isAllZero(secret)) throw weakKey();
    return secret;
  };
  return {
    name: 'webcrypto',
    async generateKeyPair(exportable) {
      const kp = (await subtle.generateKey(X25519_ALG, exportable, ['deriveBits', 'deriveKey'])) as CryptoKeyPair;
      const publicKey = new Uint8Array(await subtle.exportKey('raw', kp.publicKey));
      let secretKey: Bytes | null = null;
      if (exportable) {
        const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', kp.privateKey));
        if (pkcs8.length !== PKCS8_PREFIX.length + 32 || !bytesEqual(pkcs8.subarray(0, 16), PKCS8_PREFIX)) {
          throw new SecAggError('UNSUPPORTED', 'unexpected PKCS#8 encoding of an X25519 key');
        }
        secretKey = pkcs8.slice(16);
      }
      return { publicKey, secretKey, handle: kp.privateKey };
    },
    async fromSecretKey(sk) {
      checkKeyLength(sk);
      const handle = await subtle.importKey('pkcs8', concatBytes([PKCS8_PREFIX, sk]), X25519_ALG, true, [
        'deriveBits',
        'deriveKey',
      ]);
      const jwk = await subtle.exportKey('jwk', handle);
      if (typeof jwk.x !== 'string') throw new SecAggError('UNSUPPORTED', 'JWK export lacks the public key');
      return { publicKey: base64UrlToBytes(jwk.x), secretKey: copyBytes(sk), handle };
    },
    sharedSecret,
  };
}

async function agreesWithTweetnacl(backend: X25519Backend): Promise<boolean> {
  const reference = tweetnaclX25519();
  const a = await backend.generateKeyPair(true);
  const b = await reference.generateKeyPair(true);
  const rebuilt = await backend.fromSecretKey(b.secretKey!);
  if (!bytesEqual(rebuilt.publicKey, b.publicKey)) return false;
  const [ours, theirs] = await Promise.all([backend.sharedSecret(a, b.publicKey), reference.sharedSecret(b, a.publicKey)]);
  if (!bytesEqual(ours, theirs)) return false;
  return bytesEqual(await backend.sharedSecret(rebuilt, a.publicKey), ours);
}

let detected: Promise<X25519Backend> | undefined;

/** WebCrypto X25519 when the engine has it and it matches tweetnacl byte for byte; tweetnacl otherwise. Cached. */
export function detectX25519(): Promise<X25519Backend> {
  detected ??= (async () => {
    const candidate = webCryptoX25519();
    try {
      if (await agreesWithTweetnacl(candidate)) return candidate;
    } catch {
      // engine without WebCrypto X25519
    }
    return tweetnaclX25519();
  })();
  return detected;
}
