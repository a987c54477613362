import type { App } from '../../app.ts';
import { passphraseProblem, WrongPassphraseError } from '../../storage/keyWrap.ts';
import { createPasskey, PasskeyError, passkeysAvailable, unwrapVaultKeyWithPasskey, WrongPasskeyError } from '../../storage/passkeyWrap.ts';
import { readVaultKey, unlockVault } from '../../storage/vaultKey.ts';
import { clear, field, h } from '../dom.ts';
import './vault.css';

type KeptUnder = 'device' | 'passphrase' | 'passkey';

async function keptUnder(): Promise<KeptUnder> {
  const state = await readVaultKey(false);
  return state?.state !== 'locked' ? 'device' : state.wrapped.kdf === 'webauthn-prf' ? 'passkey' : 'passphrase';
}

/** Checks the current passphrase, or asks the current passkey, against the stored wrapping; throws when wrong. */
async function checkCurrent(passphrase: string): Promise<void> {
  const state = await readVaultKey(false);
  if (state?.state !== 'locked') return;
  if (state.wrapped.kdf === 'webauthn-prf') await unwrapVaultKeyWithPasskey(state.wrapped);
  else await unlockVault(state.wrapped, passphrase);
}

const STATE_TEXT: Record<KeptUnder, string> = {
  device:
    'Off. The key that encrypts your data is kept by this browser, in its files on this device: it keeps your log from other websites and apps, not from someone who copies those files. A passphrase or a passkey closes that gap.',
  passphrase:
    'On. The key that encrypts your data is stored only wrapped under your passphrase: whoever copies this browser’s files must guess the passphrase, and each guess costs a 64 MiB Argon2id computation. You type it each time the app starts.',
  passkey:
    'On, with a passkey. The key that encrypts your data is stored only wrapped under a secret that your passkey’s authenticator derives after checking it is you (fingerprint, face, PIN or security key): copying this browser’s files opens nothing without it, and there is nothing to guess. You use the passkey each time the app starts.',
};

/** The "Your data" card: set, change or remove the passphrase or passkey that wraps the vault key (docs/vault.md). */
export function passphraseCard(app: App): HTMLElement {
  const body = h('div', {});
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'passphrase-status' });
  const card = h('div', { class: 'card', id: 'passphrase-card' }, h('h3', {}, 'Passphrase or passkey'), body, status);

  const fail = (message: string, input?: HTMLInputElement) => {
    status.textContent = message;
    status.className = 'status error';
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  };

  const render = (kept: KeptUnder) => {
    const locked = kept === 'passphrase';
    const current = locked ? h('input', { type: 'password', id: 'passphrase-current', autocomplete: 'current-password' }) : null;
    const next = h('input', { type: 'password', id: 'passphrase-new', autocomplete: 'new-password' });
    const again = h('input', { type: 'password', id: 'passphrase-again', autocomplete: 'new-password' });
    const saveLabel = kept === 'passphrase' ? 'Change passphrase' : kept === 'passkey' ? 'Use this passphrase instead' : 'Set passphrase';
    const save = h('button', { type: 'submit', class: 'primary', id: 'passphrase-save' }, saveLabel);
    const remove = kept !== 'device' ? h('button', { type: 'button', class: 'danger-outline', id: 'passphrase-remove' }, kept === 'passkey' ? 'Remove passkey' : 'Remove passphrase') : null;
    const usePasskey = kept !== 'passkey' && passkeysAvailable() ? h('button', { type: 'button', id: 'passkey-set' }, kept === 'passphrase' ? 'Use a passkey instead' : 'Use a passkey') : null;
    const form = h(
      'form',
      { novalidate: true, id: 'passphrase-form' },
      current ? field('Current passphrase', current) : null,
      field(kept === 'device' ? 'Passphrase' : 'New passphrase', next, 'At least 8 characters; four or more random words are best. It cannot be reset: forget it and the data on this device is lost.'),
      field('Type it again', again),
      h('div', { class: 'actions' }, save, remove, usePasskey),
    );
    const run = async (work: () => Promise<void>, busy: string) => {
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      status.className = 'status';
      status.textContent = busy;
      try {
        await work();
      } catch (err) {
        const known = err instanceof PasskeyError || err instanceof WrongPasskeyError;
        fail(
          err instanceof WrongPassphraseError ? 'The current passphrase is not right. Nothing was changed.' : known ? err.message : `Nothing was changed: ${err instanceof Error ? err.message : String(err)}`,
          err instanceof WrongPassphraseError ? (current ?? undefined) : undefined,
        );
        for (const b of form.querySelectorAll('button')) b.disabled = false;
      }
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      for (const i of [current, next, again]) i?.removeAttribute('aria-invalid');
      if (current && !current.value) return fail('Enter your current passphrase.', current);
      const problem = passphraseProblem(next.value);
      if (problem) return fail(problem, next);
      if (next.value !== again.value) return fail('The two new passphrases differ.', again);
      void run(async () => {
        await checkCurrent(current?.value ?? '');
        await app.changeProtection({ kind: 'passphrase', passphrase: next.value });
      }, kept === 'passkey' ? 'Waiting for your passkey, then encrypting your data under the new key…' : 'Encrypting your data under the new key…');
    });
    remove?.addEventListener('click', () => {
      if (current && !current.value) return fail('Enter your current passphrase to remove it.', current);
      void run(async () => {
        await checkCurrent(current?.value ?? '');
        await app.changeProtection({ kind: 'device' });
      }, kept === 'passkey' ? 'Waiting for your passkey…' : 'Removing the passphrase…');
    });
    usePasskey?.addEventListener('click', () => {
      if (current && !current.value) return fail('Enter your current passphrase to switch to a passkey.', current);
      void run(async () => {
        await checkCurrent(current?.value ?? '');
        const passkey = await createPasskey();
        await app.changeProtection({ kind: 'passkey', passkey });
      }, 'Waiting for your passkey…');
    });
    clear(body, h('p', { id: 'passphrase-state' }, STATE_TEXT[kept]), form);
  };

  void keptUnder().then(render, (err: unknown) => fail(`Could not read the key settings: ${err instanceof Error ? err.message : String(err)}`));
  return card;
}
