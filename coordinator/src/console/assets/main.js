// @ts-check
// Operator console: plain browser modules and Chart.js's UMD build, all served by the coordinator. Counts only.
import { setUpAccess, renderAccess } from './access.js';
import { renderCoaches, setUpCoaches } from './coaches.js';
import { AuthError, api, session } from './api.js';
import { taskCharts } from './charts.js';
import { byId, el, fmt, say } from './dom.js';
import { download, historyCsv, historyTable } from './history.js';
import { renderSettings, setUpSettings } from './settings.js';
import { outlookCard } from './status.js';

/** @type {{ tasks: string[], status: any[], history: Map<string, any[]>, running: Map<string, any>, stream: AbortController | null, refreshTimer: number | undefined, setUp: boolean, adminSetUp: boolean }} */
const state = { tasks: [], status: [], history: new Map(), running: new Map(), stream: null, refreshTimer: undefined, setUp: false, adminSetUp: false };

function showSignIn() {
  byId('console').hidden = true;
  byId('signin').hidden = false;
}

/** @param {string} [why] */
function signOut(why) {
  state.stream?.abort();
  state.stream = null;
  session.set(null);
  session.role = null;
  // Nothing an admin saw stays in the page for the next person to sign in.
  for (const id of ['invites', 'enrollments', 'coach-invites', 'coaches', 'coach-invite-result', 'invite-result', 'token-result', 'settings-form', 'settings-review', 'history', 'charts', 'outlook', 'enrolled']) byId(id).replaceChildren();
  showSignIn();
  say(why ?? 'Signed out.');
  /** @type {HTMLInputElement} */ (byId('token')).focus();
}

/** @param {unknown} err */
function failed(err) {
  if (err instanceof AuthError) signOut(`${err.message} Sign in again.`);
  else say(`Could not load the federation: ${err instanceof Error ? err.message : String(err)}`);
}

async function detectRole() {
  return (await api('/api/console/whoami')).role === 'admin' ? 'admin' : 'analyst';
}

async function connect() {
  byId('signin').hidden = true;
  byId('console').hidden = false;
  try {
    session.role = await detectRole();
    for (const e of document.querySelectorAll('.admin-only')) /** @type {HTMLElement} */ (e).hidden = session.role !== 'admin';
    await loadAll();
    say('');
    startStream();
  } catch (err) {
    failed(err);
  }
}

async function loadAll() {
  const [status, summary, health] = await Promise.all([api('/api/console/status'), api('/api/enrollments/summary'), api('/health')]);
  state.status = status;
  state.tasks = status.map((/** @type {any} */ s) => s.task);
  const histories = await Promise.all(state.tasks.map((t) => api(`/api/tasks/${encodeURIComponent(t)}/rounds`)));
  state.tasks.forEach((t, i) => state.history.set(t, histories[i]));
  if (!state.setUp) setUpOnce();
  if (session.role === 'admin') setUpAdmin();
  renderEnrolled(summary, health.clients);
  renderWarnings(health.warnings ?? []);
  renderOutlook();
  renderHistory();
  renderCharts();
  if (session.role === 'admin') await loadAccess();
}

/** Weakened privacy (secure aggregation or DP off, no budget) is said at the top, in words. @param {string[]} warnings */
function renderWarnings(warnings) {
  const box = byId('warnings');
  box.replaceChildren(...warnings.map((w) => el('p', { text: `Warning: ${w}` })));
  box.hidden = warnings.length === 0;
}

async function loadAccess() {
  const [invites, enrollments] = await Promise.all([api('/api/invites'), api('/api/console/enrollments')]);
  renderAccess(invites, enrollments, loadAccess);
  const [coachInvites, coaches] = await Promise.all([api('/api/coach-invites'), api('/api/coaches')]);
  renderCoaches(coachInvites, coaches, loadAccess);
}

function setUpOnce() {
  state.setUp = true;
  const options = () => state.tasks.map((t) => el('option', { value: t, text: t }));
  byId('history-task').replaceChildren(...options());
  byId('settings-task').replaceChildren(...options());
  byId('history-task').addEventListener('change', renderHistory);
  byId('settings-task').addEventListener('change', () => void loadSettings().catch(failed));
  byId('export-csv').addEventListener('click', () => {
    const task = selected('history-task');
    download(`huddle-${task}-rounds.csv`, historyCsv(task, state.history.get(task) ?? []));
    say(`Exported ${state.history.get(task)?.length ?? 0} rounds of ${task} as CSV.`);
  });
}

function setUpAdmin() {
  if (!state.adminSetUp) {
    state.adminSetUp = true;
    setUpAccess(state.tasks, loadAccess);
    setUpCoaches(loadAccess);
    setUpSettings(async () => void (await Promise.all([loadSettings(false), refreshStatus()])));
  }
  // A refresh after a round must not wipe settings the operator is editing.
  if (byId('settings-form').childElementCount === 0) void loadSettings().catch(failed);
}

/** @param {string} id */
const selected = (id) => /** @type {HTMLSelectElement} */ (byId(id)).value || state.tasks[0] || '';

async function loadSettings(reset = true) {
  const task = selected('settings-task');
  const form = byId('settings-form');
  // While a task's settings load, the form still shows the previous ones: say so (and let tests wait for it).
  if (reset) form.setAttribute('aria-busy', 'true');
  try {
    const config = await api(`/api/tasks/${encodeURIComponent(task)}/config`);
    if (reset) renderSettings(task, config);
  } finally {
    if (reset) form.removeAttribute('aria-busy');
  }
}

/** @param {any} summary @param {number} connected */
function renderEnrolled(summary, connected) {
  const stat = (/** @type {string} */ label, /** @type {string} */ value) => el('div', {}, el('dt', { text: label }), el('dd', { text: value }));
  byId('enrolled').replaceChildren(
    stat('Enrolled devices', fmt(summary.active)),
    ...state.tasks.map((t) => stat(`Enrolled for ${t}`, fmt(summary.byTask?.[t] ?? 0))),
    stat('Connected now', fmt(connected)),
    stat('Revoked', fmt(summary.revoked)),
  );
}

function renderOutlook() {
  byId('outlook').replaceChildren(...state.status.map((s) => outlookCard(s, state.running.get(s.task))));
}

function renderHistory() {
  const task = selected('history-task');
  byId('history').replaceChildren(historyTable(task, state.history.get(task) ?? []));
}

function renderCharts() {
  byId('charts').replaceChildren(...state.tasks.map((t) => taskCharts(t, (state.history.get(t) ?? []).filter((r) => r.status === 'completed'))));
}

async function refreshStatus() {
  state.status = await api('/api/console/status');
  renderOutlook();
}

/** @param {boolean} on */
function setLive(on) {
  const live = byId('live');
  live.textContent = on ? 'live' : 'offline (reconnecting)';
  live.classList.toggle('on', on);
}

function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = window.setTimeout(() => void loadAll().catch(failed), 300);
}

/** @param {string} event @param {any} data */
function onEvent(event, data) {
  if (event === 'snapshot') state.running = new Map(data.running.map((/** @type {any} */ p) => [p.task, p]));
  else if (event === 'progress') state.running.set(data.progress.task, data.progress);
  else if (event === 'roundEnded') {
    const r = data.round;
    state.running.delete(r.task);
    say(r.status === 'completed' ? `Round ${r.round} of ${r.task} completed: ${r.reported} of ${r.selected} selected devices reported.` : `Round ${r.round} of ${r.task} ${r.reason?.startsWith('privacy budget') ? 'refused' : 'abandoned'}: ${r.reason ?? 'no reason recorded'}.`);
    scheduleRefresh();
  } else return;
  renderOutlook();
}

/** Server-Sent Events over fetch, so the token travels in a header rather than the URL. */
async function startStream() {
  state.stream?.abort();
  const ctrl = new AbortController();
  state.stream = ctrl;
  try {
    const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' }, signal: ctrl.signal, cache: 'no-store' });
    if (res.status === 401 || res.status === 403) return signOut('The token was refused for the live feed. Sign in again.');
    if (!res.ok || !res.body) throw new Error(`live feed answered ${res.status}`);
    setLive(true);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of frame.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
        }
        if (data) onEvent(event, JSON.parse(data));
      }
    }
  } catch {
    if (ctrl.signal.aborted) return;
  }
  if (ctrl.signal.aborted) return;
  setLive(false);
  setTimeout(() => {
    if (state.stream === ctrl && session.token) startStream();
  }, 3000);
}

byId('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = /** @type {HTMLInputElement} */ (byId('token'));
  session.set(input.value.trim());
  input.value = '';
  connect().then(() => byId('rounds-title').focus());
});
byId('signout').addEventListener('click', () => signOut());
byId('refresh').addEventListener('click', () => scheduleRefresh());
setInterval(() => {
  if (state.running.size > 0) renderOutlook();
}, 1000);

if (session.token) connect();
else showSignIn();
