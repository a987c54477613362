import { learnsMeanForecast, modelSettingsSchema } from '@huddle/shared/model';
import { METHOD_LABELS } from '../report/palette.ts';
import type { SimResults } from './resultsSchema.ts';

const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? 'n/a' : v.toFixed(digits));

type Metrics = { n: number; athletes: number; positives?: number; positiveAthletes?: number; ci: Record<string, { lo: number | null; hi: number | null }> } & Record<string, unknown>;

/** "0.682 [0.620, 0.739]": the estimate and its 95% interval bootstrapped over athletes. */
export function withInterval(m: Metrics, metric: string): string {
  const v = m[metric];
  if (typeof v !== 'number') return 'n/a';
  const ci = m.ci[metric];
  // Brier scores, log losses, calibration errors and PR AUC of rare events live in the third decimal.
  const d = ['brier', 'ece', 'prAuc', 'logLoss'].includes(metric) ? 4 : 3;
  return `${fmt(v, d)} [${fmt(ci?.lo, d)}, ${fmt(ci?.hi, d)}]`;
}

/** Every method of a run in display order, with its display name. */
export function methodsOf(r: SimResults): [string, string, Metrics][] {
  const f = r.final as unknown as Record<string, Metrics>;
  const keys = ['federated', 'personalized', 'centralized', 'localOnly', 'pooledGbdt', 'pooledGbdtSquared'].filter((k) => f[k]);
  const h = r.final.heuristic as unknown as Record<string, Metrics>;
  return [...keys.map((k) => [k, METHOD_LABELS[k] ?? k, f[k]!] as [string, string, Metrics]), ...Object.keys(h).map((k) => [k, METHOD_LABELS[k] ?? k, h[k]!] as [string, string, Metrics])];
}

export function countsText(m: Metrics): string {
  return m.positives === undefined ? `${m.n} days, ${m.athletes} athletes` : `${m.n} days, ${m.positives} positive (${m.positiveAthletes} of ${m.athletes} athletes)`;
}

/** Which forecast each readiness metric scores, when that is not the one point forecast of every method; else null. */
export function forecastNote(r: SimResults): string | null {
  if (r.config.task === 'injury') return null;
  const model = modelSettingsSchema.safeParse(r.config.derived.taskConfig.model);
  const mean = model.success && learnsMeanForecast(model.data);
  const gbdt = r.final.pooledGbdtSquared ? 'pooled GBDT: MAE of its absolute-loss fit, RMSE of its squared-loss fit' : null;
  if (!mean) return gbdt ? `${gbdt}.` : null;
  return `MAE scores the models' median forecast, RMSE their mean forecast (the median plus a squared-loss correction learned in the same rounds, meanForecast)${gbdt ? `; ${gbdt}` : ''}.`;
}

function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...cells.map((line) => (line[c] ?? '').length)));
  const lines = cells.map((line) => line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}

/** The final comparison as fixed-width text: every metric with its 95% interval and the counts it rests on, then the paired comparisons. */
export function summaryTable(r: SimResults): string {
  const injury = r.config.task === 'injury';
  const cols = injury ? ['auc', 'prAuc', 'brier', 'logLoss', 'ece', 'sensitivity', 'specificity'] : ['mae', 'rmse'];
  const names = injury ? ['AUC', 'PR AUC', 'Brier', 'log loss', 'ECE', 'sens', 'spec'] : ['MAE', 'RMSE'];
  const methods = methodsOf(r);
  const rows = methods.map(([, label, m]) => [label, ...cols.map((c) => (c in m ? withInterval(m, c) : '')), countsText(m)]);
  const b = r.final.bootstrap;
  const comparisons = r.final.comparisons.filter((c) => c.method === 'federated' || c.method === 'personalized');
  const compRows = comparisons.map((c) => [
    `${METHOD_LABELS[c.method] ?? c.method} - ${METHOD_LABELS[c.reference] ?? c.reference}`,
    c.metric,
    `${fmt(c.difference)} [${fmt(c.lo)}, ${fmt(c.hi)}]`,
    c.verdict,
  ]);
  const eps = r.privacy.epsilon === null ? 'no DP noise' : `epsilon ${fmt(r.privacy.epsilon, 3)} at delta ${r.privacy.delta} (${r.privacy.epsilonSource})`;
  const d = r.dataset;
  return [
    `${d.name}: ${d.athletes} athletes (${d.clients} train, ${d.evaluatedAthletes} tested), ${d.trainExamples} training / ${d.testExamples} test days; ${r.config.task}, ${r.config.protocol} protocol`,
    `${r.rounds.filter((x) => x.status === 'completed').length}/${r.rounds.length} rounds completed, ${r.config.strategy}, ${eps}`,
    `95% intervals: ${b.resamples} bootstrap resamples of athletes (seed ${b.seed})`,
    ...table(['method', ...names, 'test days'], rows),
    ...(forecastNote(r) ? [forecastNote(r)!] : []),
    '',
    'paired differences (method - reference; same resampled athletes for both):',
    ...table(['comparison', 'metric', 'difference [95% CI]', 'verdict'], compRows),
    ...r.warnings.map((w) => `WARNING: ${w}`),
    `${r.timing.clientUpdates} client updates in ${(r.timing.federationMs / 1000).toFixed(1)} s (${r.timing.clientUpdatesPerSecond.toFixed(0)}/s); total ${(r.timing.totalMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
