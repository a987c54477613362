import { runSimulation } from './src/sim/runSimulation.ts';
const settings = JSON.parse(process.argv[2]!);
for (const s of settings) {
  const t = performance.now();
  const r = await runSimulation({ dataset: 'synthetic', seed: 1, ...s });
  const f = r.final;
  console.log(JSON.stringify(s), 'fed', (f.federated as any).auc ?? (f.federated as any).mae, 'cen', (f.centralized as any).auc ?? (f.centralized as any).mae, 'pers', (f.personalized as any).auc ?? (f.personalized as any).mae, 'heur', JSON.stringify(Object.values(f.heuristic).map((h: any) => h.mae ?? h.auc)), 'cenEp', r.config.derived.centralEpochs, "rounds", r.rounds.filter((_, i) => i % 10 === 9).map((x) => (x.metrics.auc ?? x.metrics.mae)?.toFixed(3)).join(' '), ((performance.now() - t) / 1000).toFixed(1) + 's');
}
