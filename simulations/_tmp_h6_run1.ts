import { runSimulation } from './src/sim/runSimulation.ts';
const t = performance.now();
const r = await runSimulation({ dataset: 'synthetic', athletes: 40, rounds: 5, clientsPerRound: 10, seed: 3 }, { onRound: (x) => console.log(x.round, x.participants.length, x.dropped.length, x.metrics, x.virtualMs), onWarning: (w) => console.log('WARN', w) });
console.log(JSON.stringify(r.final.federated).slice(0, 300));
console.log(JSON.stringify(r.timing), performance.now() - t);
console.log(Object.fromEntries(Object.entries(r.final).map(([k, v]) => [k, (v as any).auc ?? JSON.stringify(v).slice(0, 200)])));
