// @ts-check
import { api } from './api.js';
import { byId, el, table } from './dom.js';
import { modelSummary } from './modelSummary.js';

/**
 * The settings an operator tunes, with the browser's own checks; the coordinator's schema has the last word.
 * @type {{ path: string, label: string, kind: 'int' | 'number' | 'optional-number' | 'bool' | 'choice', min?: number, max?: number, step?: string, choices?: string[], help?: string }[]}
 */
const FIELDS = [
  { path: 'clientsPerRound', label: 'Updates per round', kind: 'int', min: 1, max: 100000 },
  { path: 'minClients', label: 'Fewest updates to aggregate', kind: 'int', min: 1, max: 100000, help: 'At most the updates per round; at least 3 with secure aggregation.' },
  { path: 'overSelection', label: 'Over-selection factor', kind: 'number', min: 1, max: 10, step: '0.05' },
  { path: 'roundTimeoutMs', label: 'Round deadline (ms)', kind: 'int', min: 100, max: 86400000 },
  { path: 'strategy', label: 'Aggregation strategy', kind: 'choice', choices: ['fedavg', 'fedprox', 'fedadam', 'fedyogi', 'fedavgm', 'median', 'trimmed-mean'] },
  { path: 'fit.localEpochs', label: 'Local epochs', kind: 'int', min: 1, max: 100 },
  { path: 'fit.batchSize', label: 'Batch size', kind: 'int', min: 1, max: 4096 },
  { path: 'fit.learningRate', label: 'Client learning rate', kind: 'number', min: 0, max: 10, step: 'any' },
  { path: 'fit.clipNorm', label: 'Clip norm (L2)', kind: 'number', min: 0, step: 'any' },
  { path: 'secureAggregation.enabled', label: 'Secure aggregation', kind: 'bool' },
  { path: 'privacy.noise', label: 'Differential-privacy noise', kind: 'choice', choices: ['none', 'central', 'distributed'], help: 'Distributed noise needs secure aggregation.' },
  { path: 'privacy.noiseMultiplier', label: 'Noise multiplier z', kind: 'number', min: 0, max: 1000, step: 'any' },
  { path: 'privacy.epsilonBudget', label: 'Epsilon budget (empty: none)', kind: 'optional-number', min: 0, step: 'any' },
  { path: 'privacy.delta', label: 'Delta', kind: 'number', min: 0, max: 1, step: 'any' },
];

/** @param {any} obj @param {string} path */
const getAt = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
/** @param {any} obj @param {string} path @param {unknown} value */
function setAt(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[/** @type {string} */ (keys.at(-1))] = value;
}
const inputId = (/** @type {string} */ path) => `setting-${path.replace(/\./g, '-')}`;

/** @type {{ task: string, config: any } | null} */
let current = null;

/** @param {string} task @param {any} config */
export function renderSettings(task, config) {
  current = { task, config };
  const form = /** @type {HTMLFormElement} */ (byId('settings-form'));
  const fields = FIELDS.map((f) => {
    const id = inputId(f.path);
    const value = getAt(config, f.path);
    const help = f.help ? el('p', { class: 'help', id: `${id}-help`, text: f.help }) : null;
    const error = el('p', { class: 'field-error', id: `${id}-error` });
    let input;
    if (f.kind === 'bool') input = el('input', { id, type: 'checkbox', checked: value === true });
    else if (f.kind === 'choice') input = el('select', { id }, ...(f.choices ?? []).map((c) => el('option', { value: c, selected: c === value, text: c })));
    else input = el('input', { id, type: 'number', min: f.min, max: f.max, step: f.step ?? (f.kind === 'int' ? '1' : 'any'), required: f.kind !== 'optional-number', value: value ?? '', inputmode: 'decimal' });
    input.setAttribute('aria-describedby', [help ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' '));
    return el('div', {}, el('label', { for: id, text: f.label }), input, help, error);
  });
  form.replaceChildren(el('p', { id: 'settings-model', class: 'help', text: modelSummary(config) }), el('div', { class: 'settings-grid' }, ...fields), el('button', { type: 'submit', text: 'Review changes' }));
  byId('settings-review').replaceChildren();
}

/** Reads the form into a full configuration; null (and field errors shown) when the browser's checks fail. */
function proposed() {
  if (!current) return null;
  const config = structuredClone(current.config);
  let ok = true;
  for (const f of FIELDS) {
    const input = /** @type {HTMLInputElement} */ (byId(inputId(f.path)));
    const error = byId(`${inputId(f.path)}-error`);
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (f.kind === 'bool') setAt(config, f.path, input.checked);
    else if (f.kind === 'choice') setAt(config, f.path, input.value);
    else if (f.kind === 'optional-number' && input.value.trim() === '') setAt(config, f.path, null);
    else if (!input.checkValidity() || input.value.trim() === '') {
      ok = false;
      input.setAttribute('aria-invalid', 'true');
      error.textContent = input.validationMessage || 'Enter a number.';
    } else setAt(config, f.path, Number(input.value));
  }
  return ok ? config : null;
}

/** @param {(task: string) => Promise<void>} onSaved */
export function setUpSettings(onSaved) {
  byId('settings-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const review = byId('settings-review');
    const config = proposed();
    if (!config || !current) return void review.replaceChildren(el('p', { class: 'warn', role: 'alert', text: 'Some settings are out of range: see the fields marked above.' }));
    const { task } = current;
    try {
      const check = await api(`/api/console/tasks/${encodeURIComponent(task)}/config/check`, { method: 'POST', body: config });
      if (!check.ok) return void review.replaceChildren(el('p', { class: 'warn', role: 'alert', text: `The coordinator refused these settings: ${check.error}` }));
      if (check.changes.length === 0) return void review.replaceChildren(el('p', { text: 'Nothing changes: the form matches the settings in force.' }));
      const apply = el('button', { type: 'button', class: 'primary', text: `Apply ${check.changes.length} change${check.changes.length === 1 ? '' : 's'} to ${task}` });
      const show = (/** @type {unknown} */ v) => (v === null ? 'none' : typeof v === 'object' ? JSON.stringify(v) : String(v));
      review.replaceChildren(
        el('h3', { id: 'diff-title', text: 'What changes' }),
        el('div', { class: 'diff scroll' }, table(`${check.changes.length} settings of ${task} change from the next round`, [{ label: 'Setting' }, { label: 'Now' }, { label: 'New' }], check.changes.map((/** @type {any} */ c) => [c.path, show(c.from), show(c.to)]))),
        apply,
      );
      apply.addEventListener('click', async () => {
        try {
          await api(`/api/tasks/${encodeURIComponent(task)}/config`, { method: 'PUT', body: check.config });
          review.replaceChildren(el('p', { class: 'ok', role: 'status', text: `Saved: ${check.changes.map((/** @type {any} */ c) => c.path).join(', ')}. The new settings apply from the next round of ${task}.` }));
          await onSaved(task);
        } catch (err) {
          review.replaceChildren(el('p', { class: 'warn', role: 'alert', text: `Not saved: ${/** @type {Error} */ (err).message}` }));
        }
      });
      apply.focus();
    } catch (err) {
      review.replaceChildren(el('p', { class: 'warn', role: 'alert', text: `The coordinator refused these settings: ${/** @type {Error} */ (err).message}` }));
    }
  });
}
