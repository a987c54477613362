import type { SimResults } from '../sim/resultsSchema.ts';
import { esc, fmt } from './escape.ts';
import { cycleColor, METHOD_COLORS, METHOD_LABELS } from './palette.ts';
import { CHART_CSS, chartScripts, groupedBars, lineChart, type Series } from './charts.ts';
import { countsText, forecastNote, methodsOf, withInterval } from '../sim/summary.ts';

/** One run in a report; `label` names it among the others (e.g. its sweep axis values). */
export interface ReportPoint {
  label: string;
  results: SimResults;
}

const MODEL_METHODS = ['federated', 'personalized', 'centralized', 'localOnly'] as const;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}.warn{color:#a15c00}pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}
.muted{color:#595959}
${CHART_CSS}
`;

/** Primary metric of a task: higher AUC is better for injury, lower MAE for readiness. */
function primary(r: SimResults): 'auc' | 'mae' {
  return r.config.task === 'injury' ? 'auc' : 'mae';
}

function methodValue(r: SimResults, method: string, metric: string): number | null {
  const f = r.final as unknown as Record<string, Record<string, unknown>>;
  const h = r.final.heuristic as unknown as Record<string, Record<string, unknown>>;
  const m = f[method] ?? h[method];
  const v = m?.[metric];
  return typeof v === 'number' ? v : null;
}

function heuristicNames(r: SimResults): string[] {
  return Object.keys(r.final.heuristic);
}

function finalTable(r: SimResults): string {
  const injury = r.config.task === 'injury';
  const cols = injury ? ['auc', 'prAuc', 'brier', 'logLoss', 'ece', 'sensitivity', 'specificity'] : ['mae', 'rmse'];
  const names = injury ? ['AUC', 'PR AUC', 'Brier', 'log loss', 'ECE', 'sensitivity', 'specificity'] : ['MAE', 'RMSE'];
  const cell = (m: Record<string, unknown>, c: string): string => {
    const v = m[c];
    if (typeof v !== 'number') return '<td></td>';
    const ci = (m.ci as Record<string, { lo: number | null; hi: number | null }>)[c];
    return `<td>${fmt(v, 3)} <span class="muted">[${fmt(ci?.lo, 3)}, ${fmt(ci?.hi, 3)}]</span></td>`;
  };
  const rows = methodsOf(r).map(([, label, m]) => `<tr><td>${esc(label)}</td>${cols.map((c) => cell(m, c)).join('')}<td>${esc(countsText(m))}</td></tr>`);
  const b = r.final.bootstrap;
  return (
    `<p class="muted">Each value with its 95% interval: ${b.resamples} bootstrap resamples of athletes (seed ${b.seed}).</p>` +
    `<table><tr><th>method</th>${names.map((n) => `<th>${n}</th>`).join('')}<th>test days</th></tr>${rows.join('')}</table>` +
    (forecastNote(r) ? `<p class="muted">${esc(forecastNote(r)!)}</p>` : '')
  );
}

function comparisonsTable(r: SimResults): string {
  const rows = r.final.comparisons
    .map((c) => `<tr><td>${esc(METHOD_LABELS[c.method] ?? c.method)} &minus; ${esc(METHOD_LABELS[c.reference] ?? c.reference)}</td><td>${esc(c.metric)}</td><td>${fmt(c.difference, 3)} <span class="muted">[${fmt(c.lo, 3)}, ${fmt(c.hi, 3)}]</span></td><td${c.verdict === 'worse' ? ' class="warn"' : ''}>${esc(c.verdict)}</td></tr>`)
    .join('');
  return `<h3>Paired differences (method &minus; reference, the same resampled athletes for both)</h3><table><tr><th>comparison</th><th>metric</th><th>difference [95% CI]</th><th>verdict</th></tr>${rows}</table>`;
}

function roundsChart(r: SimResults): string {
  const metric = primary(r);
  const rounds = r.rounds.map((x) => x.round);
  const span = (v: number | null): [number, number | null][] => rounds.map((x) => [x, v]);
  const series: Series[] = [
    { name: 'federated', color: METHOD_COLORS.federated!, points: r.rounds.map((x) => [x.round, x.metrics[metric] ?? null]) },
    ...[...MODEL_METHODS.slice(1), ...heuristicNames(r)].map((m) => ({
      name: METHOD_LABELS[m] ?? m,
      color: METHOD_COLORS[m] ?? '#999',
      points: span(methodValue(r, m, metric)),
      dashed: true,
    })),
  ];
  return lineChart({ title: `${metric.toUpperCase()} per round on the test days (dashed: final value of the other methods)`, xLabel: 'round', yLabel: metric.toUpperCase(), series, integerX: true });
}

function subgroupCharts(r: SimResults): string {
  const metric = primary(r);
  const fed = r.final.federated.subgroups;
  return Object.keys(fed)
    .map((attr) => {
      const values = Object.keys(fed[attr]!);
      const groups = values.map((v) => ({
        label: `${v} (n=${(fed[attr]![v] as { n: number }).n})`,
        bars: MODEL_METHODS.map((m) => {
          const sub = (r.final[m].subgroups as Record<string, Record<string, Record<string, unknown>>>)[attr]?.[v];
          const value = sub?.[metric];
          const ci = (sub?.ci as Record<string, { lo: number | null; hi: number | null }> | undefined)?.[metric];
          return { name: METHOD_LABELS[m]!, color: METHOD_COLORS[m]!, value: typeof value === 'number' ? value : null, lo: ci?.lo ?? null, hi: ci?.hi ?? null };
        }),
      }));
      return groupedBars({ title: `${metric.toUpperCase()} by ${attr} (bars: 95% intervals over athletes)`, yLabel: metric.toUpperCase(), groups });
    })
    .join('');
}

function calibrationSection(r: SimResults): string {
  const f = r.final.federated;
  if (f.kind !== 'binary' || f.calibration.length === 0) return '';
  const rows = f.calibration.map((b) => `<tr><td>${b.bin + 1}</td><td>${b.count}</td><td>${fmt(b.meanPredicted, 4)}</td><td>${fmt(b.observedRate, 4)}</td></tr>`).join('');
  return `<h3>Calibration of the federated model (deciles of predicted risk)</h3><table><tr><th>decile</th><th>days</th><th>mean predicted</th><th>observed rate</th></tr>${rows}</table>`;
}

function runSection(p: ReportPoint, detailed: boolean): string {
  const r = p.results;
  const d = r.dataset;
  const eps = r.privacy.epsilon === null ? 'no DP noise' : `&epsilon; = ${fmt(r.privacy.epsilon, 3)} at &delta; = ${r.privacy.delta} (${esc(r.privacy.epsilonSource)})`;
  const warnings = r.warnings.length ? `<ul class="warn">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
  return (
    `<h2>${esc(p.label)}</h2>` +
    `<p>${esc(d.name)}: ${d.athletes} athletes (${d.clients} train, ${d.evaluatedAthletes} tested), ${d.trainExamples} training and ${d.testExamples} test days; task ${esc(r.config.task)}, ${esc(r.config.protocol)} protocol, ${esc(r.config.strategy)}, ${r.config.rounds} rounds of ${r.config.clientsPerRound} clients; ${eps}. ${d.skippedRows ? `${d.skippedRows} bad rows skipped.` : ''}</p>` +
    warnings +
    finalTable(r) +
    comparisonsTable(r) +
    roundsChart(r) +
    (detailed ? subgroupCharts(r) + calibrationSection(r) : '') +
    `<details><summary>configuration</summary><pre>${esc(JSON.stringify(r.config, null, 2))}</pre></details>`
  );
}

function sweepTable(points: ReportPoint[]): string {
  const metric = primary(points[0]!.results);
  const head = `<tr><th>point</th><th>federated</th><th>personalized</th><th>centralized</th><th>local-only</th><th>&epsilon;</th><th>rounds done</th></tr>`;
  const rows = points
    .map((p) => {
      const r = p.results;
      return `<tr><td>${esc(p.label)}</td>${MODEL_METHODS.map((m) => `<td>${esc(withInterval(r.final[m] as unknown as Parameters<typeof withInterval>[0], metric))}</td>`).join('')}<td>${fmt(r.privacy.epsilon, 3)}</td><td>${r.rounds.filter((x) => x.status === 'completed').length}/${r.rounds.length}</td></tr>`;
    })
    .join('');
  return `<h2>All points (${metric.toUpperCase()}, 95% intervals over athletes)</h2><table>${head}${rows}</table>`;
}

/** Utility against noise, one line per combination of the other settings. */
function privacyUtility(points: ReportPoint[]): string {
  const noises = new Set(points.map((p) => p.results.privacy.noiseMultiplier));
  if (noises.size < 2) return '';
  const metric = primary(points[0]!.results);
  const lines = new Map<string, [number, number | null][]>();
  for (const p of points) {
    const { noiseMultiplier: _z, targetEpsilon: _e, derived: _d, ...rest } = p.results.config;
    const key = JSON.stringify(rest);
    const list = lines.get(key) ?? [];
    list.push([p.results.privacy.noiseMultiplier, methodValue(p.results, 'federated', metric)]);
    lines.set(key, list);
  }
  const series: Series[] = [...lines.values()].map((pts, i) => ({ name: lines.size === 1 ? 'federated' : `setting ${i + 1}`, color: cycleColor(i), points: pts.sort((a, b) => a[0] - b[0]) }));
  const eps = points.map((p) => `${esc(p.label)}: noise ${fmt(p.results.privacy.noiseMultiplier, 3)} -> &epsilon; ${fmt(p.results.privacy.epsilon, 3)}`).join('<br>');
  return `<h2>Privacy-utility</h2>${lineChart({ title: `final federated ${metric.toUpperCase()} against noise`, xLabel: 'noise multiplier z', yLabel: metric.toUpperCase(), series })}<p class="muted">${eps}</p>`;
}

function overlayRounds(points: ReportPoint[]): string {
  const metric = primary(points[0]!.results);
  const series = points.map((p, i) => ({ name: p.label, color: cycleColor(i), points: p.results.rounds.map((x) => [x.round, x.metrics[metric] ?? null] as [number, number | null]) }));
  return lineChart({ title: `federated ${metric.toUpperCase()} per round, every point`, xLabel: 'round', yLabel: metric.toUpperCase(), series, integerX: true });
}

/** One self-contained HTML page: inline CSS, Chart.js inlined with the charts' data, no external references. */
export function renderReport(points: ReportPoint[], title = 'Huddle simulation report'): string {
  if (points.length === 0) throw new Error('a report needs at least one result');
  const body =
    points.length === 1
      ? runSection(points[0]!, true)
      : sweepTable(points) + privacyUtility(points) + overlayRounds(points) + points.map((p) => runSection(p, false)).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body><h1>${esc(title)}</h1>${body}${chartScripts()}</body></html>\n`;
}
