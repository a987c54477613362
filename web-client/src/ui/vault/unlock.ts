import { deleteDatabase } from '../../storage/db.ts';
import { WrongPassphraseError, type WrappedVaultKey } from '../../storage/keyWrap.ts';
import { forgetPasskey, PasskeyError, unwrapVaultKeyWithPasskey, WrongPasskeyError, type PasskeyWrappedVaultKey } from '../../storage/passkeyWrap.ts';
import { unlockVault, type StoredWrapping } from '../../storage/vaultKey.ts';
import { clear, field, h } from '../dom.ts';
import { confirmInline } from '../confirmInline.ts';
import './vault.css';

type Unlocked = (key: CryptoKey) => void;

function passphraseForm(wrapped: WrappedVaultKey, done: Unlocked): { form: HTMLElement; focus: HTMLElement } {
  const input = h('input', { type: 'password', id: 'unlock-passphrase', name: 'passphrase', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'unlock-submit' }, 'Unlock');
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'unlock-status' });
  const form = h('form', { novalidate: true }, field('Passphrase', input, 'The passphrase you chose for this device.'), h('div', { class: 'actions' }, submit), status);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!input.value) {
      status.textContent = 'Enter your passphrase.';
      status.className = 'status error';
      input.focus();
      return;
    }
    submit.disabled = true;
    status.className = 'status';
    status.textContent = 'Unlocking… (this takes a second on purpose: it makes guessing slow)';
    unlockVault(wrapped, input.value).then(
      (key) => {
        input.value = '';
        done(key);
      },
      (err: unknown) => {
        status.textContent = err instanceof WrongPassphraseError ? err.message : `Could not unlock: ${err instanceof Error ? err.message : String(err)}`;
        status.className = 'status error';
        input.setAttribute('aria-invalid', 'true');
        submit.disabled = false;
        input.select();
        input.focus();
      },
    );
  });
  return { form, focus: input };
}

function passkeyForm(wrapped: PasskeyWrappedVaultKey, done: Unlocked): { form: HTMLElement; focus: HTMLElement } {
  const button = h('button', { type: 'button', class: 'primary', id: 'unlock-passkey' }, 'Unlock with your passkey');
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'unlock-status' });
  button.addEventListener('click', () => {
    button.disabled = true;
    status.className = 'status';
    status.textContent = 'Waiting for your passkey…';
    unwrapVaultKeyWithPasskey(wrapped).then(done, (err: unknown) => {
      status.textContent = err instanceof PasskeyError || err instanceof WrongPasskeyError ? err.message : `Could not unlock: ${err instanceof Error ? err.message : String(err)}`;
      status.className = 'status error';
      button.disabled = false;
      button.focus();
    });
  });
  return { form: h('div', {}, h('p', {}, 'Your device asks for the passkey you set up here (fingerprint, face, PIN or security key).'), h('div', { class: 'actions' }, button), status), focus: button };
}

/**
 * The start screen when a passphrase or a passkey protects the vault key: resolves with the unlocked key. A wrong
 * answer is refused with a clear message and changes nothing; a forgotten passphrase or a lost passkey can only be
 * answered by erasing this device's data.
 */
export function unlockScreen(main: HTMLElement, wrapped: StoredWrapping): Promise<CryptoKey> {
  return new Promise((resolve) => {
    const passkey = wrapped.kdf === 'webauthn-prf';
    const secret = passkey ? 'passkey' : 'passphrase';
    const { form, focus } = wrapped.kdf === 'webauthn-prf' ? passkeyForm(wrapped, resolve) : passphraseForm(wrapped, resolve);

    const eraseArea = h('div', {});
    const erase = h('button', { type: 'button', class: 'danger-outline', id: 'unlock-erase' }, 'Erase this device’s data');
    confirmInline(eraseArea, erase, { id: 'unlock-erase', question: `Erase every record and key of this app on this device? Without the ${secret} nothing can be recovered.`, yes: 'Yes, erase it' }, () => {
      void deleteDatabase()
        .then(() => (passkey ? forgetPasskey(wrapped.credentialId) : false))
        .then(() => location.replace(location.pathname));
    });

    clear(
      main,
      h(
        'section',
        { 'aria-labelledby': 'unlock-title' },
        h('h2', { id: 'unlock-title', tabindex: '-1' }, 'Unlock your data'),
        h('p', {}, `Your log, your keys and what this device sent are encrypted with a key that only your ${secret} opens.`),
        form,
        h(
          'details',
          {},
          h('summary', {}, passkey ? 'Lost your passkey?' : 'Forgot your passphrase?'),
          h('p', {}, `It cannot be reset: nobody, not even your team, can open your data without it. You can erase this device’s data and join again with a new invite; ask your team to revoke the old device.`),
          erase,
          eraseArea,
        ),
      ),
    );
    focus.focus();
  });
}
