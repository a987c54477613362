import './strictCsp.ts';
import './styles.css';
import { App } from './app.ts';
import { inviteCodeFromLink } from './identity.ts';
import { Vault } from './storage/vault.ts';
import { readVaultKey } from './storage/vaultKey.ts';
import { unlockScreen } from './ui/vault/unlock.ts';
import { clear, h } from './ui/dom.ts';
import type { Screen, ScreenFactory } from './ui/screen.ts';
import { shareDueSummaries } from './coach/athleteSharing.ts';
import { coachesScreen } from './ui/screens/coaches.ts';
import { firstCheckinScreen } from './ui/onboarding/firstCheckin.ts';
import { consentScreen } from './ui/screens/consent.ts';
import { erasedScreen } from './ui/screens/erased.ts';
import { forecastScreen } from './ui/screens/forecast.ts';
import { joinScreen } from './ui/screens/join.ts';
import { logScreen } from './ui/screens/log.ts';
import { planScreen } from './ui/screens/plan.ts';
import { privacyScreen } from './ui/screens/privacy.ts';
import { sharingScreen } from './ui/screens/sharing.ts';
import { trendsScreen } from './ui/screens/trends.ts';
import { scheduleReminder } from './reminders/reminders.ts';
import { connectionText } from './ui/status.ts';

const ROUTES: Record<string, { title: string; screen: ScreenFactory; nav?: string }> = {
  join: { title: 'Join', screen: joinScreen },
  consent: { title: 'What you share', screen: consentScreen },
  start: { title: 'Your first check-in', screen: firstCheckinScreen },
  log: { title: 'Log', screen: logScreen, nav: 'Log' },
  forecast: { title: 'Forecast', screen: forecastScreen, nav: 'Forecast' },
  trends: { title: 'Trends', screen: trendsScreen, nav: 'Trends' },
  plan: { title: 'Plan', screen: planScreen, nav: 'Plan' },
  sharing: { title: 'Sharing', screen: sharingScreen, nav: 'Sharing' },
  coaches: { title: 'Coaches', screen: coachesScreen, nav: 'Coaches' },
  privacy: { title: 'Your data', screen: privacyScreen, nav: 'Your data' },
  erased: { title: 'Erased', screen: erasedScreen },
};

function parseHash(): { route: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  return { route: path, params: new URLSearchParams(query) };
}

function layout(): { main: HTMLElement; nav: HTMLElement; conn: HTMLElement; notice: HTMLElement } {
  const conn = h('span', { id: 'connection', class: 'pill', role: 'status', 'aria-live': 'polite' });
  const nav = h('nav', { 'aria-label': 'Main' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const notice = h('div', { id: 'notice', class: 'notice-bar', role: 'status', 'aria-live': 'polite' });
  document.body.replaceChildren(
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'top' }, h('h1', {}, h('span', { 'aria-hidden': 'true', class: 'logo' }, '◖◗'), ' Huddle'), conn),
    nav,
    notice,
    main,
  );
  return { main, nav, conn, notice };
}

/**
 * Invite links arrive as `/#/join?code=XXXX` or as the coordinator's `/join#code=XXXX` (the code in the fragment never
 * reaches a server log). Both become `/#/join?code=XXXX`, at the app's root.
 */
function normalizeJoinLink(): void {
  const code = inviteCodeFromLink(location.pathname, location.hash);
  if (code === null) return;
  const base = location.pathname.replace(/\/join\/?$/, '/');
  history.replaceState(null, '', `${base}#/join?code=${encodeURIComponent(code)}`);
}

async function boot(): Promise<void> {
  normalizeJoinLink();
  const ui = layout();
  let vault: Vault;
  try {
    const keyState = await readVaultKey(true);
    if (!keyState) return;
    if (keyState.state === 'locked') ui.conn.textContent = 'Locked';
    vault = await Vault.openWithKey(keyState.state === 'open' ? keyState.key : await unlockScreen(ui.main, keyState.wrapped));
  } catch (err) {
    clear(ui.main, h('h2', {}, 'This browser cannot store your log'), h('p', {}, `Huddle needs IndexedDB and WebCrypto (a secure https page). ${err instanceof Error ? err.message : ''}`));
    return;
  }
  const app = new App(vault, location.origin);
  let current: Screen | null = null;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;

  const renderNav = (route: string) => {
    const items = Object.entries(ROUTES).filter(([, r]) => r.nav);
    clear(
      ui.nav,
      app.erased
        ? null
        : h(
            'ul',
            {},
            !app.identity() ? h('li', {}, h('a', { href: '#/join', 'aria-current': route === 'join' ? 'page' : null }, 'Join')) : null,
            items.map(([key, r]) => h('li', {}, h('a', { href: `#/${key}`, 'aria-current': route === key ? 'page' : null }, r.nav!))),
          ),
    );
  };
  const renderConnection = () => {
    ui.conn.textContent = app.erased ? 'Erased' : connectionText(app);
    ui.conn.dataset.state = app.online ? app.connection.state : 'offline';
  };

  const show = () => {
    let { route, params } = parseHash();
    if (app.erased) route = 'erased';
    if (!ROUTES[route] || (route === 'erased' && !app.erased)) {
      route = app.identity() ? 'log' : 'join';
      history.replaceState(null, '', `#/${route}`);
    }
    current?.dispose?.();
    const r = ROUTES[route]!;
    current = r.screen(app, params);
    document.title = `${r.title} · Huddle`;
    clear(ui.main, current.el);
    renderNav(route);
    renderConnection();
    (ui.main.querySelector('h2') as HTMLElement | null)?.focus();
  };

  app.on((e) => {
    if (e.type === 'connection' || e.type === 'identity' || e.type === 'settings') renderConnection();
    if (e.type === 'identity') renderNav(parseHash().route);
    if (e.type === 'erased') show();
    // Coaches get a new summary when a check-in, a forecast or the plan changed it (sent only if it differs).
    if (e.type === 'log' || e.type === 'forecast') void shareDueSummaries(app);
    if (e.type === 'notice') {
      ui.notice.textContent = e.message;
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => (ui.notice.textContent = ''), 8000);
    }
  });
  addEventListener('hashchange', show);
  app.start();
  scheduleReminder(app);
  show();
}

// Only in built apps (the dev server has hot reload and no sw.js): the service worker caches the app shell for offline use.
if (!import.meta.hot && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      /* offline support is a bonus: the app works without it */
    });
  });
}

void boot();
