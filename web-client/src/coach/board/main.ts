import '../../strictCsp.ts';
import '../../styles.css';
import './board.css';
import { localCalendarDate } from '@huddle/shared/log';
import { base64ToBytes } from '@huddle/shared/util';
import { clear, field, h } from '../../ui/dom.ts';
import { CoachApiError, enrollCoach, fetchBoard } from './coachApi.ts';
import { boardModel } from './boardModel.ts';
import { boardView } from './boardView.ts';
import { CoachVault, type CoachIdentity } from './coachVault.ts';

const REFRESH_MS = 60_000;

function layout(): HTMLElement {
  const main = h('main', { id: 'main', tabindex: '-1' });
  document.body.replaceChildren(
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'top' }, h('h1', {}, h('span', { 'aria-hidden': 'true', class: 'logo' }, '◖◗'), ' Huddle · Coach')),
    main,
  );
  return main;
}

function inviteFromHash(): string {
  return new URLSearchParams(location.hash.replace(/^#\/?join\??/, '')).get('code') ?? '';
}

function enrollView(main: HTMLElement, vault: CoachVault, onEnrolled: (id: CoachIdentity) => void): void {
  const code = h('input', { type: 'text', id: 'coach-invite', autocomplete: 'off', spellcheck: 'false', value: inviteFromHash(), required: true });
  const status = h('div', { class: 'errors', role: 'alert', id: 'enroll-errors' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Enroll this device as a coach');
  const form = h('form', { class: 'card', id: 'coach-enroll', novalidate: true }, field('Coach invite code', code, 'From your team’s operator: XXXXX-XXXXX-XXXXX-XXXXX.'), status, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    enrollCoach(location.origin, code.value)
      .then(async (id) => {
        await vault.setIdentity(id);
        history.replaceState(null, '', location.pathname);
        onEnrolled(id);
      })
      .catch((err: unknown) => {
        clear(status, h('p', {}, err instanceof CoachApiError ? err.message : `Could not enroll: ${String(err)}`));
        submit.disabled = false;
      });
  });
  document.title = 'Enroll · Team board · Huddle';
  clear(
    main,
    h('h2', { tabindex: '-1' }, 'Enroll as a coach'),
    h('p', {}, 'This device makes its own key pair. Your athletes’ summaries are encrypted to it, so only this device can read them; the team server relays ciphertext only.'),
    form,
  );
}

function boardScreen(main: HTMLElement, identity: CoachIdentity): void {
  const status = h('p', { class: 'status', role: 'status', id: 'board-status' });
  const body = h('div', { id: 'board' });
  const refresh = h('button', { type: 'button', id: 'board-refresh' }, 'Refresh');
  const secret = base64ToBytes(identity.boxSecretKey);
  const pub = base64ToBytes(identity.boxPublicKey);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = async () => {
    clearTimeout(timer);
    status.textContent = 'Fetching summaries…';
    try {
      const today = localCalendarDate();
      const model = boardModel(await fetchBoard(location.origin, identity), secret, pub, today);
      clear(body, boardView(model, identity.coachId, today));
      status.textContent = `Updated ${new Date().toLocaleTimeString()}: ${model.athletes.length} athlete${model.athletes.length === 1 ? '' : 's'} sharing.`;
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : String(err);
    }
    timer = setTimeout(() => void load(), REFRESH_MS);
  };
  refresh.addEventListener('click', () => void load());
  document.title = 'Team board · Huddle';
  clear(main, h('div', { class: 'toolbar' }, h('h2', { tabindex: '-1' }, 'Team board'), refresh), status, body);
  void load();
}

async function boot(): Promise<void> {
  const main = layout();
  let vault: CoachVault;
  try {
    vault = await CoachVault.open();
  } catch (err) {
    clear(main, h('h2', {}, 'This browser cannot keep the coach key'), h('p', {}, `The team board needs IndexedDB and WebCrypto (a secure https page). ${err instanceof Error ? err.message : ''}`));
    return;
  }
  const identity = await vault.identity();
  if (identity) boardScreen(main, identity);
  else enrollView(main, vault, (id) => boardScreen(main, id));
  (main.querySelector('h2') as HTMLElement | null)?.focus();
}

void boot();
