import type { NumericRule, TextRule } from './columns.ts';

/** Outcome of reading one cell. Reasons are fixed phrases: they never contain the cell's value. */
export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_WORD = /^[+-]?(?:inf|infinity|nan)$/i;
const MAX_NUMBER_TEXT = 64;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Leading characters a spreadsheet would run as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@]/;

/** Blank means missing: undefined, null, or a string of only whitespace. */
export function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

export function readNumberCell(raw: unknown, rule: NumericRule): CellResult<number | null> {
  if (isBlank(raw)) return { ok: true, value: null };
  const parsed = toNumber(raw);
  if (!parsed.ok) return parsed;
  const value = parsed.value + 0; // -0 -> 0
  if (value < rule.min || value > rule.max) return { ok: false, reason: rangeReason(rule) };
  if (rule.integer && !Number.isInteger(value)) return { ok: false, reason: rangeReason(rule) };
  return { ok: true, value };
}

export function readTextCell(raw: unknown, rule: TextRule): CellResult<string | null> {
  if (isBlank(raw)) return rule.required ? { ok: false, reason: 'required value is missing' } : { ok: true, value: null };
  if (typeof raw !== 'string') return { ok: false, reason: 'must be text' };
  const value = raw.trim();
  if (value.length > rule.maxLength) return { ok: false, reason: `too long (at most ${rule.maxLength} characters)` };
  if (CONTROL_CHARS.test(value)) return { ok: false, reason: 'contains control characters' };
  if (FORMULA_START.test(value)) return { ok: false, reason: 'must not start with =, +, - or @ (spreadsheet formula)' };
  return { ok: true, value };
}

/** One word of a fixed list, compared exactly after trimming; the reason lists the accepted words, never the value. */
export function readChoiceCell(raw: unknown, values: readonly string[]): CellResult<string | null> {
  if (isBlank(raw)) return { ok: true, value: null };
  if (typeof raw !== 'string') return { ok: false, reason: 'must be text' };
  const value = raw.trim();
  return values.includes(value) ? { ok: true, value } : { ok: false, reason: `must be one of: ${values.join(', ')}` };
}

function toNumber(raw: unknown): CellResult<number> {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, reason: 'not a finite number' };
  }
  if (typeof raw !== 'string') return { ok: false, reason: 'not a number' };
  const text = raw.trim();
  if (text.length > MAX_NUMBER_TEXT) return { ok: false, reason: 'not a number' };
  if (NON_FINITE_WORD.test(text)) return { ok: false, reason: 'not a finite number' };
  if (!DECIMAL.test(text)) return { ok: false, reason: 'not a number' };
  const value = Number(text);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'not a finite number' };
}

function rangeReason(rule: NumericRule): string {
  if (rule.integer && rule.min === 0 && rule.max === 1) return 'must be 0 or 1';
  if (rule.integer) return `must be a whole number from ${rule.min} to ${rule.max}`;
  return `out of range: must be from ${rule.min} to ${rule.max}`;
}
