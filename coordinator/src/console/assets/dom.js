// @ts-check
/** DOM and formatting helpers shared by the console's modules. */

/** @param {string} id */
export function byId(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e;
}

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} children
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** @param {number | null | undefined} n @param {number} [digits] */
export function fmt(n, digits = 3) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en') : Number(n.toPrecision(digits)).toString();
}

/** @param {string} message */
export function say(message) {
  byId('status').textContent = message;
}

/** @param {string | null | undefined} isoTime */
export function when(isoTime) {
  if (!isoTime) return '–';
  const d = new Date(isoTime);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** A table with a caption, column headers and rows of cells (strings or nodes). @param {string} caption @param {{ label: string, num?: boolean }[]} columns @param {(string | Node)[][]} rows */
export function table(caption, columns, rows) {
  return el(
    'table',
    {},
    el('caption', { class: 'help', text: caption }),
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : undefined, text: c.label })))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell, i) => el('td', { class: columns[i]?.num ? 'num' : undefined }, cell))))),
  );
}

/** @param {string} svg */
export const svgDataUrl = (svg) => `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;

/** A button that asks before an action that cannot be undone. @param {string} label @param {() => Promise<void>} action */
export function actionButton(label, action) {
  const b = el('button', { type: 'button', text: label });
  b.addEventListener('click', () => {
    if (!confirm(`${label}? This cannot be undone.`)) return;
    action().catch((err) => say(`${label} failed: ${err.message}`));
  });
  return b;
}
