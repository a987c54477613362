import { runSimulation } from './src/sim/runSimulation.ts';
const r = await runSimulation({ dataset: 'synthetic', athletes: 20, rounds: 4, clientsPerRound: 8, secureAggregation: true }, { onWarning: console.log });
console.log(r.rounds.map((x) => [x.status, x.reason, x.secureAggregation, x.virtualMs, x.participants.length]));
const s = await runSimulation({ dataset: 'synthetic', athletes: 20, rounds: 4, clientsPerRound: 8, secureAggregation: true, transport: 'socket' }, { onWarning: console.log });
console.log(s.rounds.map((x) => [x.status, x.reason, x.secureAggregation, x.virtualMs, x.participants.length]));
console.log(JSON.stringify(r.rounds.map((x) => x.metrics)) === JSON.stringify(s.rounds.map((x) => x.metrics)));
console.log(JSON.stringify(r.rounds.map((x) => x.metrics)));
console.log(JSON.stringify(s.rounds.map((x) => x.metrics)));
console.log(r.rounds.map((x) => x.participants.join(',')), s.rounds.map((x) => x.participants.join(',')));
