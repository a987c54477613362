import { runSimulation } from './src/sim/runSimulation.ts';
const r = await runSimulation({ dataset: 'synthetic', athletes: 12, days: 150, rounds: 3, clientsPerRound: 4, noiseMultiplier: 0.8, delta: 1e-5 });
console.log(r.privacy, r.rounds.map((x) => [x.status, x.epsilon, x.reason]), r.warnings);
