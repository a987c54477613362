import { esc, fmt } from './escape.ts';
import { extent, linear, niceTicks } from './scale.ts';

export interface Series {
  name: string;
  color: string;
  points: [number, number | null][];
  dashed?: boolean;
}

const W = 720;
const H = 330;
const M = { top: 34, right: 190, bottom: 46, left: 62 };

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  return (
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<text x="${M.left}" y="20" class="title">${esc(title)}</text>` +
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 8}" text-anchor="middle" class="axis-label">${esc(xLabel)}</text>` +
    `<text transform="translate(16 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${esc(yLabel)}</text>` +
    body +
    '</svg>'
  );
}

function axes(x: (v: number) => number, y: (v: number) => number, xTicks: number[], yTicks: number[], xFormat: (v: number) => string): string {
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  let s = `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" class="axis"/><line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" class="axis"/>`;
  for (const t of yTicks) {
    s += `<line x1="${x0}" y1="${y(t)}" x2="${x1}" y2="${y(t)}" class="grid"/><text x="${x0 - 6}" y="${y(t) + 4}" text-anchor="end" class="tick">${esc(trim(t))}</text>`;
  }
  for (const t of xTicks) s += `<text x="${x(t)}" y="${y0 + 16}" text-anchor="middle" class="tick">${esc(xFormat(t))}</text>`;
  return s;
}

function legend(items: { name: string; color: string; dashed?: boolean }[]): string {
  return items
    .map((it, i) => {
      const yy = M.top + 8 + i * 18;
      const xx = W - M.right + 14;
      return `<line x1="${xx}" y1="${yy}" x2="${xx + 22}" y2="${yy}" stroke="${it.color}" stroke-width="2.5"${it.dashed ? ' stroke-dasharray="5 4"' : ''}/><text x="${xx + 28}" y="${yy + 4}" class="legend">${esc(it.name)}</text>`;
    })
    .join('');
}

const trim = (v: number): string => String(Number(v.toPrecision(4)));

/** Lines over a numeric x axis; null y values break a line. */
export function lineChart(o: { title: string; xLabel: string; yLabel: string; series: Series[]; integerX?: boolean; xFormat?: (v: number) => string }): string {
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.flatMap((p) => (p[1] === null ? [] : [p[1]])));
  const [xlo, xhi] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [ylo, yhi] = extent(ys);
  const x = linear(xlo === xhi ? [xlo - 1, xhi + 1] : [xlo, xhi], [M.left + 8, W - M.right - 8]);
  const y = linear([ylo, yhi], [H - M.bottom, M.top]);
  const xTicks = niceTicks(xlo, xhi, 6).filter((t) => t >= xlo && t <= xhi && (!o.integerX || Number.isInteger(t)));
  let body = axes(x, y, xTicks.length ? xTicks : [xlo], niceTicks(ylo, yhi, 5), o.xFormat ?? trim);
  for (const s of o.series) {
    const segments: string[][] = [[]];
    for (const [px, py] of s.points) {
      if (py === null) segments.push([]);
      else segments[segments.length - 1]!.push(`${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    }
    for (const seg of segments) {
      if (seg.length > 1) body += `<polyline points="${seg.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`;
      if (seg.length === 1) {
        const [cx, cy] = seg[0]!.split(',');
        body += `<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`;
      }
    }
    if (s.points.length <= 30) {
      for (const [px, py] of s.points) if (py !== null && !s.dashed) body += `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(`${s.name}: ${fmt(py, 4)} at ${trim(px)}`)}</title></circle>`;
    }
  }
  return frame(o.title, o.xLabel, o.yLabel, body + legend(o.series));
}

/** Groups of bars (one group per subgroup value, one bar per method). */
export function groupedBars(o: { title: string; yLabel: string; groups: { label: string; bars: { name: string; color: string; value: number | null; lo?: number | null; hi?: number | null }[] }[] }): string {
  const values = o.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.hi ?? null].filter((v): v is number => v !== null)));
  const [, hi] = extent([0, ...values], 0.08);
  const y = linear([0, hi], [H - M.bottom, M.top]);
  const inner = W - M.left - M.right;
  const groupW = inner / Math.max(1, o.groups.length);
  const barCount = Math.max(1, ...o.groups.map((g) => g.bars.length));
  const barW = Math.min(28, (groupW * 0.8) / barCount);
  let body = axes(() => 0, y, [], niceTicks(0, hi, 5), trim);
  o.groups.forEach((g, gi) => {
    const gx = M.left + gi * groupW + (groupW - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      if (b.value === null) return;
      const top = y(b.value);
      body += `<rect x="${(gx + bi * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(H - M.bottom - top).toFixed(1)}" fill="${b.color}"><title>${esc(`${g.label}, ${b.name}: ${fmt(b.value, 4)}${b.lo != null && b.hi != null ? ` [${fmt(b.lo, 4)}, ${fmt(b.hi, 4)}]` : ''}`)}</title></rect>`;
      if (b.lo != null && b.hi != null) {
        const cx = (gx + bi * barW + (barW - 2) / 2).toFixed(1);
        body += `<line x1="${cx}" y1="${y(b.hi).toFixed(1)}" x2="${cx}" y2="${y(Math.max(0, b.lo)).toFixed(1)}" stroke="#222" stroke-width="1.2" class="error-bar"/>`;
      }
    });
    body += `<text x="${(M.left + gi * groupW + groupW / 2).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" class="tick">${esc(g.label)}</text>`;
  });
  const names = new Map<string, string>();
  for (const g of o.groups) for (const b of g.bars) names.set(b.name, b.color);
  return frame(o.title, '', o.yLabel, body + legend([...names].map(([name, color]) => ({ name, color }))));
}
