import { runSimulation } from './src/sim/runSimulation.ts';
const o = { dataset: 'synthetic', athletes: 20, rounds: 3, clientsPerRound: 8, secureAggregation: true } as const;
const a = await runSimulation(o);
const b = await runSimulation(o);
const c = await runSimulation({ ...o, transport: 'socket' });
for (const r of [a, b, c]) console.log(r.rounds.map((x) => [x.metrics.auc, x.participants.join(','), x.trainLoss, x.numExamples]));
