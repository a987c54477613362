import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, passphraseProblem, unwrapVaultKey, unwrapVaultKeyBytes, wrapVaultKey, freshVaultKey, WrongPassphraseError } from '../src/storage/keyWrap.ts';
import { seal, unseal } from '../src/storage/sealed.ts';

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;
}

describe('passphrase wrapping of the vault key (Argon2id, AES-GCM)', () => {
  it('unwraps with the passphrase, to a key that opens what the original sealed; never stores the raw bytes', async () => {
    const { key, raw } = await freshVaultKey();
    const copy = raw.slice();
    const wrapped = await wrapVaultKey(raw, 'correct horse battery staple');
    expect(wrapped).toMatchObject({ kdf: 'argon2id', ...DEFAULT_KDF });
    expect(wrapped.salt).toHaveLength(16);
    expect(wrapped.data).toHaveLength(48);
    for (const part of [wrapped.salt, wrapped.iv, wrapped.data]) expect(contains(part, copy)).toBe(false);
    const record = await seal(key, 'r1', { secretKey: 'abc' });
    const reopened = await unwrapVaultKey(wrapped, 'correct horse battery staple');
    expect(reopened.extractable).toBe(false);
    expect(await unseal(reopened, record)).toEqual({ secretKey: 'abc' });
    expect(Buffer.from(await unwrapVaultKeyBytes(wrapped, 'correct horse battery staple')).equals(Buffer.from(copy))).toBe(true);
  });

  it('refuses a wrong passphrase, and parameters edited to cheaper ones, with WrongPassphraseError', async () => {
    const { raw } = await freshVaultKey();
    const fast = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
    const wrapped = await wrapVaultKey(raw, 'first passphrase', fast);
    await expect(unwrapVaultKey(wrapped, 'first passphrasf')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unwrapVaultKey(wrapped, 'first passphrasf')).rejects.toThrow(/Nothing was changed/);
    // Same passphrase, cheaper stored parameters: the derived key differs and the parameters are authenticated.
    await expect(unwrapVaultKey({ ...wrapped, memoryKiB: 512 }, 'first passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    // The same passphrase typed in another Unicode form (NFD) still opens it.
    const accented = await wrapVaultKey(raw, 'caf\u00e9 au lait', fast);
    await expect(unwrapVaultKey(accented, 'cafe\u0301 au lait')).resolves.toBeDefined();
  });

  it('salts every wrapping: the same key and passphrase give different bytes', async () => {
    const { raw } = await freshVaultKey();
    const fast = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
    const a = await wrapVaultKey(raw, 'same words here', fast);
    const b = await wrapVaultKey(raw, 'same words here', fast);
    expect(Buffer.from(a.salt).equals(Buffer.from(b.salt))).toBe(false);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false);
  });

  it('refuses passphrases shorter than 8 characters', () => {
    expect(passphraseProblem('short')).toMatch(/at least 8/);
    expect(passphraseProblem('four random words')).toBeNull();
  });
});
