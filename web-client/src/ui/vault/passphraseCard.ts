import type { App } from '../../app.ts';
import { passphraseProblem, WrongPassphraseError } from '../../storage/keyWrap.ts';
import { readVaultKey, unlockVault } from '../../storage/vaultKey.ts';
import { clear, field, h } from '../dom.ts';
import './vault.css';

/** Whether a passphrase protects the vault key now. */
async function hasPassphrase(): Promise<boolean> {
  return (await readVaultKey(false))?.state === 'locked';
}

/** Checks the current passphrase against the stored wrapping; throws WrongPassphraseError. */
async function checkCurrent(passphrase: string): Promise<void> {
  const state = await readVaultKey(false);
  if (state?.state !== 'locked') return;
  await unlockVault(state.wrapped, passphrase);
}

/** The "Your data" card: set, change or remove the passphrase that wraps the vault key (docs/vault.md). */
export function passphraseCard(app: App): HTMLElement {
  const body = h('div', {});
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'passphrase-status' });
  const card = h('div', { class: 'card', id: 'passphrase-card' }, h('h3', {}, 'Passphrase'), body, status);

  const fail = (message: string, input?: HTMLInputElement) => {
    status.textContent = message;
    status.className = 'status error';
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  };

  const render = (locked: boolean) => {
    const current = locked ? h('input', { type: 'password', id: 'passphrase-current', autocomplete: 'current-password' }) : null;
    const next = h('input', { type: 'password', id: 'passphrase-new', autocomplete: 'new-password' });
    const again = h('input', { type: 'password', id: 'passphrase-again', autocomplete: 'new-password' });
    const save = h('button', { type: 'submit', class: 'primary', id: 'passphrase-save' }, locked ? 'Change passphrase' : 'Set passphrase');
    const remove = locked ? h('button', { type: 'button', class: 'danger-outline', id: 'passphrase-remove' }, 'Remove passphrase') : null;
    const form = h(
      'form',
      { novalidate: true, id: 'passphrase-form' },
      current ? field('Current passphrase', current) : null,
      field(locked ? 'New passphrase' : 'Passphrase', next, 'At least 8 characters; four or more random words are best. It cannot be reset: forget it and the data on this device is lost.'),
      field('Type it again', again),
      h('div', { class: 'actions' }, save, remove),
    );
    const run = async (work: () => Promise<void>, busy: string) => {
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      status.className = 'status';
      status.textContent = busy;
      try {
        await work();
      } catch (err) {
        fail(err instanceof WrongPassphraseError ? 'The current passphrase is not right. Nothing was changed.' : `Nothing was changed: ${err instanceof Error ? err.message : String(err)}`, err instanceof WrongPassphraseError ? (current ?? undefined) : undefined);
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
        if (current) await checkCurrent(current.value);
        await app.changeProtection({ kind: 'passphrase', passphrase: next.value });
      }, 'Encrypting your data under the new key…');
    });
    remove?.addEventListener('click', () => {
      if (!current?.value) return fail('Enter your current passphrase to remove it.', current ?? undefined);
      void run(async () => {
        await checkCurrent(current.value);
        await app.changeProtection({ kind: 'device' });
      }, 'Removing the passphrase…');
    });
    clear(
      body,
      h(
        'p',
        { id: 'passphrase-state' },
        locked
          ? 'On. The key that encrypts your data is stored only wrapped under your passphrase: whoever copies this browser’s files must guess the passphrase, and each guess costs a 64 MiB Argon2id computation. You type it each time the app starts.'
          : 'Off. The key that encrypts your data is kept by this browser, in its files on this device: it keeps your log from other websites and apps, not from someone who copies those files. A passphrase closes that gap.',
      ),
      form,
    );
  };

  void hasPassphrase().then(render, (err: unknown) => fail(`Could not read the key settings: ${err instanceof Error ? err.message : String(err)}`));
  return card;
}
