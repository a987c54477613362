import type { SimResults } from './resultsSchema.ts';

const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? 'n/a' : v.toFixed(digits));

interface Row {
  method: string;
  values: (number | null)[];
}

/** The final comparison as a fixed-width text table. */
export function summaryTable(r: SimResults): string {
  const injury = r.config.task === 'injury';
  const header = injury ? ['method', 'AUC', 'PR AUC', 'Brier', 'sens', 'spec'] : ['method', 'MAE', 'RMSE'];
  const rows: Row[] = [];
  const f = r.final;
  for (const [name, m] of [['federated', f.federated], ['personalized', f.personalized], ['centralized', f.centralized], ['local-only', f.localOnly]] as const) {
    rows.push({ method: name, values: m.kind === 'binary' ? [m.auc, m.prAuc, m.brier, null, null] : [m.mae, m.rmse] });
  }
  const h = f.heuristic;
  if ('acwrRule' in h) {
    for (const [name, m] of [['ACWR>1.5 (7:28)', h.acwrRule], ['ACWR>1.5 (EWMA)', h.acwrEwmaRule]] as const) rows.push({ method: name, values: [m.auc, m.prAuc, null, m.sensitivity, m.specificity] });
  } else {
    rows.push({ method: 'persistence', values: [h.persistence.mae, h.persistence.rmse] });
    rows.push({ method: 'athlete mean', values: [h.athleteMean.mae, h.athleteMean.rmse] });
  }
  const cells = [header, ...rows.map((row) => [row.method, ...row.values.map((v) => fmt(v))])];
  const widths = header.map((_, c) => Math.max(...cells.map((line) => line[c]!.length)));
  const lines = cells.map((line) => line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const eps = r.privacy.epsilon === null ? 'no DP noise' : `epsilon ${fmt(r.privacy.epsilon, 3)} at delta ${r.privacy.delta} (${r.privacy.epsilonSource})`;
  const d = r.dataset;
  return [
    `${d.name}: ${d.athletes} athletes (${d.clients} train, ${d.evaluatedAthletes} tested), ${d.trainExamples} training / ${d.testExamples} test days; ${r.config.task}, ${r.config.protocol} protocol`,
    `${r.rounds.filter((x) => x.status === 'completed').length}/${r.rounds.length} rounds completed, ${r.config.strategy}, ${eps}`,
    ...lines,
    `${r.timing.clientUpdates} client updates in ${(r.timing.federationMs / 1000).toFixed(1)} s (${r.timing.clientUpdatesPerSecond.toFixed(0)}/s); total ${(r.timing.totalMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
