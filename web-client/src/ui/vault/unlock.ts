import { deleteDatabase } from '../../storage/db.ts';
import { WrongPassphraseError, type WrappedVaultKey } from '../../storage/keyWrap.ts';
import { unlockVault } from '../../storage/vaultKey.ts';
import { clear, field, h } from '../dom.ts';
import { confirmInline } from '../confirmInline.ts';
import './vault.css';

/**
 * The start screen when a passphrase protects the vault key: resolves with the unlocked key. A wrong passphrase is
 * refused with a clear message and changes nothing; a forgotten one can only be answered by erasing this device's data.
 */
export function unlockScreen(main: HTMLElement, wrapped: WrappedVaultKey): Promise<CryptoKey> {
  return new Promise((resolve) => {
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
          resolve(key);
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

    const eraseArea = h('div', {});
    const erase = h('button', { type: 'button', class: 'danger-outline', id: 'unlock-erase' }, 'Erase this device’s data');
    confirmInline(eraseArea, erase, { id: 'unlock-erase', question: 'Erase every record and key of this app on this device? Without the passphrase nothing can be recovered.', yes: 'Yes, erase it' }, () => {
      void deleteDatabase().then(() => location.replace(location.pathname));
    });

    clear(
      main,
      h(
        'section',
        { 'aria-labelledby': 'unlock-title' },
        h('h2', { id: 'unlock-title', tabindex: '-1' }, 'Unlock your data'),
        h('p', {}, 'Your log, your keys and what this device sent are encrypted with a key that only your passphrase opens.'),
        form,
        h(
          'details',
          {},
          h('summary', {}, 'Forgot your passphrase?'),
          h('p', {}, 'It cannot be reset: nobody, not even your team, can open your data without it. You can erase this device’s data and join again with a new invite; ask your team to revoke the old device.'),
          erase,
          eraseArea,
        ),
      ),
    );
    input.focus();
  });
}
