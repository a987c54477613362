import { runSimulation } from './src/sim/runSimulation.ts';
const settings = JSON.parse(process.argv[2]!);
for (const s of settings) {
  const t = performance.now();
  const r = await runSimulation({ dataset: 'synthetic', athletes: 200, seed: 1, ...s });
  const f = r.final;
  console.log(JSON.stringify(s), 'fed', f.federated.kind === 'binary' && f.federated.auc?.toFixed(4), 'cen', (f.centralized as any).auc?.toFixed(4), 'pers', (f.personalized as any).auc?.toFixed(4), 'cenEp', r.config.derived.centralEpochs, 'rounds', r.rounds.map((x) => x.metrics.auc?.toFixed(3)).join(' '), ((performance.now() - t) / 1000).toFixed(1) + 's');
}
