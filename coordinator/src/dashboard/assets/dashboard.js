// @ts-check
// Operator dashboard: plain browser JavaScript, no dependencies. Shows counts and aggregates only.

const TOKEN_KEY = 'huddle.dashboard.token';
const SVG_NS = 'http://www.w3.org/2000/svg';
const SERIES_STYLE = [
  { color: '#0b74de', dash: '' },
  { color: '#d9480f', dash: '6 4' },
  { color: '#2f9e44', dash: '2 3' },
];

/** @type {{ token: string | null, tasks: any[], running: Map<string, any>, lastRound: Map<string, any>, stream: AbortController | null, refreshTimer: number | undefined }} */
const state = { token: sessionStorage.getItem(TOKEN_KEY), tasks: [], running: new Map(), lastRound: new Map(), stream: null, refreshTimer: undefined };

class AuthError extends Error {}

/** @param {string} id */
function byId(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e;
}

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {(Node | string | null | undefined)[]} children
 */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** @param {string} tag @param {Record<string, string | number>} attrs */
function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** @param {number | null | undefined} n @param {number} [digits] */
function fmt(n, digits = 3) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString() : Number(n.toPrecision(digits)).toString();
}

/** @param {string} message */
function say(message) {
  byId('status').textContent = message;
}

/** @param {string} path */
async function api(path) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${state.token}` }, cache: 'no-store' });
  if (res.status === 401) throw new AuthError('The token was refused (unknown or revoked).');
  if (res.status === 403) throw new AuthError('This token lacks the analyst role.');
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return res.json();
}

function showSignIn() {
  byId('overview').hidden = true;
  byId('signin').hidden = false;
}

/** @param {string} [why] */
function signOut(why) {
  state.stream?.abort();
  state.stream = null;
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn();
  say(why ?? 'Signed out.');
  /** @type {HTMLInputElement} */ (byId('token')).focus();
}

async function connect() {
  byId('signin').hidden = true;
  byId('overview').hidden = false;
  try {
    await loadAll();
    say('');
    startStream();
  } catch (err) {
    if (err instanceof AuthError) signOut(`${err.message} Sign in again.`);
    else say(`Could not load the federation: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function loadAll() {
  const [tasks, summary, health] = await Promise.all([api('/api/tasks'), api('/api/enrollments/summary'), api('/health')]);
  const details = await Promise.all(
    tasks.map(async (/** @type {any} */ t) => {
      const [metrics, budget] = await Promise.all([api(`/api/tasks/${encodeURIComponent(t.task)}/metrics`), api(`/api/tasks/${encodeURIComponent(t.task)}/budget`)]);
      return { ...t, metrics: metrics.rounds, budget };
    }),
  );
  state.tasks = details;
  renderEnrolled(summary, tasks, health.clients);
  const warnings = /** @type {string[]} */ (health.warnings ?? []);
  byId('warnings').hidden = warnings.length === 0;
  byId('warnings').replaceChildren(...warnings.map((w) => el('p', { text: `Warning: ${w}` })));
  renderTasks();
}

/** @param {any} summary @param {any[]} tasks @param {number} connected */
function renderEnrolled(summary, tasks, connected) {
  const stat = (/** @type {string} */ label, /** @type {string} */ value) => el('div', {}, el('dt', { text: label }), el('dd', { text: value }));
  byId('enrolled').replaceChildren(
    stat('Enrolled devices', fmt(summary.active)),
    ...tasks.map((t) => stat(`Enrolled for ${t.task}`, fmt(summary.byTask?.[t.task] ?? 0))),
    stat('Connected now', fmt(connected)),
    stat('Revoked', fmt(summary.revoked)),
  );
}

function renderTasks() {
  byId('tasks').replaceChildren(...state.tasks.map(renderTask));
}

/** @param {any} t */
function renderTask(t) {
  const c = t.config;
  const settings = [
    ['Round', String(t.round)],
    ['Updates per round', String(c.clientsPerRound)],
    ['Fewest updates', String(c.minClients)],
    ['Over-selection', `×${c.overSelection}`],
    ['Round deadline', `${fmt(c.roundTimeoutMs / 1000)} s`],
    ['Strategy', c.strategy],
    ['Local epochs', String(c.fit.localEpochs)],
    ['Batch size', String(c.fit.batchSize)],
    ['Learning rate', fmt(c.fit.learningRate)],
    ['Clip norm (L2)', fmt(c.fit.clipNorm)],
    ['Secure aggregation', c.secureAggregation?.enabled ? 'on' : 'off'],
    ['DP noise', c.privacy ? (c.privacy.noise === 'none' ? 'none' : `${c.privacy.noise}, z = ${fmt(c.privacy.noiseMultiplier)}`) : '–'],
    ['Opted in now', String(t.optedInClients)],
  ];
  const headingId = `task-${t.task}`;
  const rounds = t.metrics.map((/** @type {any} */ r) => r.round);
  const charts = [
    lineChart(`${t.task}-loss`, 'Loss per completed round', rounds, [
      { name: 'Training loss', values: t.metrics.map((/** @type {any} */ r) => r.trainLoss) },
      { name: 'Held-out loss', values: t.metrics.map((/** @type {any} */ r) => r.metrics?.loss ?? null) },
    ]),
    t.task === 'injury'
      ? lineChart(`${t.task}-auc`, 'Ranking quality per round', rounds, [
          { name: 'ROC AUC', values: t.metrics.map((/** @type {any} */ r) => r.metrics?.auc ?? null) },
          { name: 'PR AUC', values: t.metrics.map((/** @type {any} */ r) => r.metrics?.prAuc ?? null) },
        ])
      : lineChart(`${t.task}-error`, 'Prediction error per round', rounds, [
          { name: 'MAE', values: t.metrics.map((/** @type {any} */ r) => r.metrics?.mae ?? null) },
          { name: 'RMSE', values: t.metrics.map((/** @type {any} */ r) => r.metrics?.rmse ?? null) },
        ]),
  ];
  return el(
    'article',
    { 'aria-labelledby': headingId },
    el('h3', { id: headingId, text: `Task: ${t.task}` }),
    el(
      'div',
      { class: 'grid' },
      el('div', {}, el('h4', { text: 'Settings' }), el('dl', { class: 'settings' }, ...settings.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))),
      el('div', {}, el('h4', { text: 'Live round' }), el('div', { id: `progress-${t.task}` }, ...progressView(t.task))),
      el('div', {}, el('h4', { text: 'Privacy budget' }), ...budgetView(t.budget)),
    ),
    el('div', { class: 'grid' }, ...charts),
  );
}

/** @param {string} task */
function progressView(task) {
  const p = state.running.get(task);
  if (p) {
    const left = Math.max(0, Math.round((p.deadline - Date.now()) / 1000));
    return [
      el('p', { text: `Round ${p.round} in progress: ${p.reported} of ${p.selected} selected devices have reported${typeof p.dropped === 'number' ? `, ${p.dropped} dropped` : ''}.` }),
      el('progress', { max: Math.max(1, p.selected), value: p.reported, 'aria-label': `Updates reported in round ${p.round}` }),
      el('p', { class: 'help', text: `Deadline in ${left} s.` }),
    ];
  }
  const last = state.lastRound.get(task) ?? lastFromHistory(task);
  if (!last) return [el('p', { text: 'No round has run yet.' })];
  return [
    el('p', { text: `Idle. Last round ${last.round}: ${last.status}.` }),
    el('p', { class: 'help', text: last.selected !== undefined ? `Selected ${last.selected}, reported ${last.reported}, dropped ${last.dropped}.` : `${last.reported} devices reported.` }),
  ];
}

/** @param {string} task */
function lastFromHistory(task) {
  const t = state.tasks.find((x) => x.task === task);
  const r = t?.metrics.at(-1);
  return r ? { round: r.round, status: 'completed', reported: r.reported } : null;
}

/** @param {any} b */
function budgetView(b) {
  const spent = `ε spent: ${fmt(b.epsilonSpent)} at δ = ${b.delta} over ${b.charges} charged round${b.charges === 1 ? '' : 's'}.`;
  const noise = el('p', { class: 'help', text: b.noise === 'none' ? 'Differential-privacy noise is off for this task.' : `Noise: ${b.noise}.` });
  if (b.epsilonBudget === null) return [el('p', { text: spent }), noise, el('p', { class: 'help', text: 'No budget is set for this task.' })];
  const budget = b.epsilonBudget;
  return [
    el('p', { text: `${spent} Budget ε = ${fmt(budget)}.` }),
    noise,
    el('meter', { min: 0, max: budget, low: budget * 0.7, high: budget * 0.9, optimum: 0, value: Math.min(b.epsilonSpent, budget), 'aria-label': 'Privacy budget spent' }),
    b.exhausted ? el('p', { class: 'warn', text: 'Budget exhausted: no further rounds may run for this task.' }) : el('p', { class: 'help', text: `Remaining ε: ${fmt(b.remaining)}.` }),
  ];
}

/**
 * A minimal SVG line chart with a legend and the data as a table for screen readers.
 * @param {string} id @param {string} title @param {number[]} xs
 * @param {{ name: string, values: (number | null)[] }[]} allSeries
 */
function lineChart(id, title, xs, allSeries) {
  const series = allSeries.filter((s) => s.values.some((v) => v !== null && Number.isFinite(v)));
  const figure = el('figure', { 'aria-labelledby': `${id}-caption` }, el('figcaption', { id: `${id}-caption`, text: title }));
  if (xs.length === 0 || series.length === 0) {
    figure.append(el('p', { class: 'help', text: 'No completed rounds yet.' }));
    return figure;
  }
  const W = 420, H = 200, L = 44, R = 10, T = 10, B = 28;
  const ys = series.flatMap((s) => s.values.filter((v) => v !== null && Number.isFinite(v)));
  let lo = Math.min(...ys), hi = Math.max(...ys);
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const px = (/** @type {number} */ x) => L + (x1 === x0 ? (W - L - R) / 2 : ((x - x0) / (x1 - x0)) * (W - L - R));
  const py = (/** @type {number} */ y) => T + (1 - (y - lo) / (hi - lo)) * (H - T - B);
  const last = series.map((s) => `${s.name} ${fmt(s.values.at(-1))}`).join(', ');
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `${title}, rounds ${x0} to ${x1}; latest: ${last}` });
  chart.append(svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }), svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
  for (const [y, label] of [[hi, fmt(hi)], [lo, fmt(lo)]]) {
    const text = svg('text', { x: L - 4, y: py(/** @type {number} */ (y)) + 4, 'text-anchor': 'end' });
    text.textContent = String(label);
    chart.append(text);
  }
  for (const [x, anchor] of x0 === x1 ? [[x0, 'middle']] : [[x0, 'start'], [x1, 'end']]) {
    const text = svg('text', { x: px(/** @type {number} */ (x)), y: H - B + 16, 'text-anchor': anchor });
    text.textContent = `round ${x}`;
    chart.append(text);
  }
  series.forEach((s, k) => {
    const style = SERIES_STYLE[k % SERIES_STYLE.length];
    const points = xs.map((x, i) => [x, s.values[i]]).filter(([, v]) => v !== null && v !== undefined && Number.isFinite(v));
    const d = points.map(([x, v], i) => `${i === 0 ? 'M' : 'L'}${px(/** @type {number} */ (x)).toFixed(1)},${py(/** @type {number} */ (v)).toFixed(1)}`).join(' ');
    chart.append(svg('path', { d, fill: 'none', stroke: style.color, 'stroke-width': 2, 'stroke-dasharray': style.dash }));
    for (const [x, v] of points) chart.append(svg('circle', { cx: px(/** @type {number} */ (x)), cy: py(/** @type {number} */ (v)), r: 2.5, fill: style.color }));
  });
  const legend = el('p', { class: 'help legend' });
  series.forEach((s, k) => {
    const key = el('span', { text: `${['━', '╍', '┅'][k % 3]} ${s.name}` });
    key.style.color = SERIES_STYLE[k % SERIES_STYLE.length].color;
    legend.append(key);
  });
  const table = el(
    'table',
    {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Round' }), ...series.map((s) => el('th', { scope: 'col', text: s.name })))),
    el('tbody', {}, ...xs.map((x, i) => el('tr', {}, el('th', { scope: 'row', text: String(x) }), ...series.map((s) => el('td', { text: fmt(s.values[i]) }))))),
  );
  figure.append(chart, legend, el('details', {}, el('summary', { text: `${title}: data table` }), table));
  return figure;
}

/** @param {boolean} on */
function setLive(on) {
  const live = byId('live');
  live.textContent = on ? 'live' : 'offline (reconnecting)';
  live.classList.toggle('on', on);
}

function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = window.setTimeout(() => {
    loadAll().catch((err) => (err instanceof AuthError ? signOut(`${err.message} Sign in again.`) : say(`Refresh failed: ${err.message}`)));
  }, 300);
}

/** @param {string} event @param {any} data */
function onEvent(event, data) {
  if (event === 'snapshot') {
    state.running = new Map(data.running.map((/** @type {any} */ p) => [p.task, p]));
  } else if (event === 'progress') {
    state.running.set(data.progress.task, data.progress);
  } else if (event === 'roundEnded') {
    state.running.delete(data.round.task);
    state.lastRound.set(data.round.task, data.round);
    say(`Round ${data.round.round} of ${data.round.task} ${data.round.status}: ${data.round.reported} of ${data.round.selected} selected devices reported.`);
    scheduleRefresh();
  } else {
    return;
  }
  for (const t of state.tasks) document.getElementById(`progress-${t.task}`)?.replaceChildren(...progressView(t.task));
}

/** Server-Sent Events over fetch, so the token travels in a header rather than the URL. */
async function startStream() {
  state.stream?.abort();
  const ctrl = new AbortController();
  state.stream = ctrl;
  try {
    const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${state.token}`, Accept: 'text/event-stream' }, signal: ctrl.signal, cache: 'no-store' });
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
    if (state.stream === ctrl && state.token) startStream();
  }, 3000);
}

function tick() {
  for (const task of state.running.keys()) document.getElementById(`progress-${task}`)?.replaceChildren(...progressView(task));
}

byId('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = /** @type {HTMLInputElement} */ (byId('token'));
  state.token = input.value.trim();
  input.value = '';
  sessionStorage.setItem(TOKEN_KEY, state.token);
  connect().then(() => byId('overview-title').focus());
});
byId('signout').addEventListener('click', () => signOut());
byId('refresh').addEventListener('click', () => scheduleRefresh());
byId('overview-title').setAttribute('tabindex', '-1');
setInterval(tick, 1000);

if (state.token) connect();
else showSignIn();
