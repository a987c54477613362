import { Command, InvalidArgumentError, Option } from 'commander';
import { STRATEGY_NAMES } from '@huddle/shared/aggregation';
import { MODEL_KINDS } from '@huddle/shared/model';
import type { SimOptionsInput } from './options.ts';
import { STRAGGLER_SYNTAX } from './stragglers.ts';

/** Only "is it a number": ranges are the schemas' (simOptionsSchema, and through it the engine's). */
function number(raw: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InvalidArgumentError('not a finite number');
  return v;
}

/** Flag name -> SimOptions key, for the simulator flags (everything except output and display flags). */
export function addSimulationFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--dataset <name>', 'synthetic, soccermon, or the path of a daily-log CSV').default('synthetic'))
    .option('--athletes <n>', 'synthetic: athletes to generate (default 50); other datasets: use only the first N athletes by id', number)
    .option('--days <n>', 'synthetic: days per athlete (default 365)', number)
    .option('--data-seed <s>', 'synthetic: data seed, independent of --seed (default 1)', number)
    .addOption(new Option('--task <task>', 'model to train').choices(['injury', 'readiness']).default('injury'))
    .option('--rounds <r>', 'federated rounds (default 20)', number)
    .option('--clients-per-round <k>', 'updates aggregated per round (default 10)', number)
    .option('--min-clients <m>', 'fewest updates a round may aggregate (default max(1, floor(k/2)); 3 with secure aggregation)', number)
    .option('--over-selection <x>', 'select ceil(k * x) clients to absorb dropouts (default 1)', number)
    .addOption(new Option('--model <kind>', "model class (default: the task's, see docs/models.md)").choices(MODEL_KINDS))
    .option('--local-epochs <e>', "network: local epochs per round (default: the task's, 2)", number)
    .option('--batch-size <b>', "network: local mini-batch size (default: the task's, 32)", number)
    .option('--learning-rate <lr>', "client learning rate (default: the task's, 0.1 injury, 0.05 readiness)", number)
    .addOption(new Option('--strategy <name>', 'aggregation strategy').choices([...STRATEGY_NAMES]).default('fedavg'))
    .option('--proximal-mu <mu>', 'fedprox: proximal term weight (default 0.01)', number)
    .option('--server-lr <eta>', 'fedadam, fedyogi (default 0.01), fedavgm (default 1): server learning rate', number)
    .option('--server-momentum <beta>', 'fedavgm: server momentum (default 0.9)', number)
    .option('--beta1 <b>', 'fedadam, fedyogi: first-moment decay (default 0.9)', number)
    .option('--beta2 <b>', 'fedadam, fedyogi: second-moment decay (default 0.99)', number)
    .option('--tau <t>', 'fedadam, fedyogi: adaptivity (default 1e-3)', number)
    .option('--trim-fraction <f>', 'trimmed-mean: fraction trimmed at each end (default 0.1)', number)
    .option('--clip <c>', "L2 bound clients clip their update to (default: the task's, 5 network, 20 additive)", number)
    .option('--noise-multiplier <z>', 'DP: noise std on the sum = z x clip', number)
    .option('--target-epsilon <e>', 'DP: find the noise multiplier that spends this epsilon over all rounds', number)
    .option('--delta <d>', 'DP: target delta', number)
    .addOption(new Option('--dp-mode <mode>', 'DP: who adds the noise').choices(['central', 'distributed']).default('central'))
    .option('--secure-aggregation', 'the coordinator only sees the sum of updates')
    .option('--neighbours <k>', 'secure aggregation: neighbours per client in the masking graph (default: all)', number)
    .option('--threshold <t>', 'secure aggregation: Shamir threshold (default: the engine\'s)', number)
    .option('--dropout <p>', 'probability a selected client silently never answers (default 0)', number)
    .option('--stragglers <model>', `delay before a client sends its update: ${STRAGGLER_SYNTAX} (default none)`)
    .option('--round-timeout <ms>', 'round deadline in virtual ms; later updates count as dropped (default 60000)', number)
    .option('--seed <s>', 'seeds selection, model init, training and faults (default 1)', number)
    .addOption(new Option('--transport <kind>', 'in memory, or socket.io on loopback').choices(['inprocess', 'socket']).default('inprocess'))
    .addOption(new Option('--protocol <p>', 'temporal: last days of every athlete are test; unseen: held-out athletes never train').choices(['temporal', 'unseen']).default('temporal'))
    .option('--holdout-fraction <f>', 'unseen: fraction of athletes held out, the last to join (default 0.2)', number)
    .option('--test-fraction <f>', "last fraction of each tested athlete's labelled days used as test days (default 0.2)", number)
    .addOption(new Option('--trainer <kind>', 'batched: all clients in one pass; tfjs: one client at a time').choices(['batched', 'tfjs']).default('batched'))
    .option('--federated-eval', "also run the engine's federated evaluation each round (slow: every client predicts with tfjs)")
    .option('--central-epochs <e>', 'centralized baseline epochs (default: rounds x local epochs x k / clients)', number)
    .option('--local-only-epochs <e>', 'local-only baseline epochs (default: the centralized epochs)', number)
    .option('--personalize-epochs <e>', 'fine-tuning epochs of personalization (default: local epochs)', number)
    .option('--personalize-lr <lr>', 'fine-tuning learning rate (default: the client learning rate)', number);
}

/** Commander keys whose SimOptions key differs. */
const RENAMED: Record<string, string> = {
  serverLr: 'serverLearningRate',
  roundTimeout: 'roundTimeoutMs',
  personalizeLr: 'personalizeLearningRate',
};

/** Commander's parsed values -> SimOptions input (undefined values are left to the schema's defaults). */
export function simOptionsFromFlags(f: Record<string, unknown>): SimOptionsInput {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || NON_SIM_FLAGS.has(key)) continue;
    out[RENAMED[key] ?? key] = value;
  }
  return out as SimOptionsInput;
}

/** The flag that sets a SimOptions key, for error messages: serverLearningRate -> --server-lr. */
export function flagOf(key: string): string {
  const commanderKey = Object.entries(RENAMED).find(([, v]) => v === key)?.[0] ?? key;
  return `--${commanderKey.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
}

/** Flags of the CLI itself, not of the simulation. */
const NON_SIM_FLAGS = new Set(['out', 'report', 'json']);
