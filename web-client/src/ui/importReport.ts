import type { RowError } from '@huddle/shared/log';
import { h } from './dom.ts';

/** The row-by-row report of an import (CSV or wearable): record number, field and reason, never the value. */
export function reportTable(problems: RowError[], caption: string, id: string): HTMLTableElement {
  return h(
    'table',
    { id, class: 'report' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Row'), h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Reason'))),
    h('tbody', {}, problems.map((e) => h('tr', {}, h('td', {}, String(e.row)), h('td', {}, e.field), h('td', {}, e.reason)))),
  );
}
