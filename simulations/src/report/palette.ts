/** One fixed colour per method, so every chart of a report reads the same way. */
export const METHOD_COLORS: Record<string, string> = {
  federated: '#1f77b4',
  personalized: '#2ca02c',
  centralized: '#d62728',
  localOnly: '#9467bd',
  acwrRule: '#8c564b',
  acwrEwmaRule: '#e377c2',
  persistence: '#8c564b',
  athleteMean: '#e377c2',
  pooledGbdt: '#ff7f0e',
  pooledGbdtSquared: '#bcbd22',
  athleteRate: '#17becf',
};

const CYCLE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function cycleColor(i: number): string {
  return CYCLE[i % CYCLE.length]!;
}

export const METHOD_LABELS: Record<string, string> = {
  federated: 'federated',
  personalized: 'personalized',
  centralized: 'centralized',
  localOnly: 'local-only',
  acwrRule: 'ACWR > 1.5 (7:28)',
  acwrEwmaRule: 'ACWR > 1.5 (EWMA)',
  persistence: 'persistence',
  athleteMean: 'athlete mean',
  pooledGbdt: 'pooled GBDT',
  pooledGbdtSquared: 'pooled GBDT (squared loss)',
  athleteRate: 'athlete injury rate',
};
