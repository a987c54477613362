import { planPriorEncoding, priorSumProblem } from '@huddle/shared/aggregation';
import type { TaskId } from '@huddle/shared/model';
import type { RandomSource } from '@huddle/shared/privacy';
import { twinPriorConfigSchema, type SecureFit, type TaskConfig, type TwinPriorConfig, type TwinPriorConfigInput } from '@huddle/shared/protocol';
import { StrikeLedger } from '@huddle/shared/secagg';
import { boundedPrior, DEFAULT_PRIOR, MOMENT_LENGTH, priorFromMoments, type PopulationPrior, type PublishedPrior } from '@huddle/shared/twin';
import { distributedCorrection, planRoundPrivacy } from '../privacyPlan.ts';
import { selectRound } from '../selection.ts';
import { PlainPriorWorkflow, SecurePriorWorkflow, type PriorSumResult } from './priorWorkflow.ts';
import type { RoundRunnerContext } from '../rounds/roundRunner.ts';
import type { TwinPriorRound } from './twinPriorRecord.ts';

export type { TwinPriorRound } from './twinPriorRecord.ts';

/** The services a round runs on, as the round runner gets them, and the prior task's own hooks. */
export interface TwinPriorContext extends Pick<RoundRunnerContext, 'registry' | 'gateway' | 'store' | 'auth' | 'clock' | 'logger' | 'random' | 'identityOf'> {
  selectionRandom: RandomSource;
  hostConfig(task: TaskId): TaskConfig;
  population(task: TaskId): number;
  /** Puts a round's workflow where client messages are routed (the round runner), and takes it away. */
  host(roundId: string, workflow: PlainPriorWorkflow | SecurePriorWorkflow): void;
  unhost(roundId: string): void;
  /** Told of every round once the store has it (with the prior it published, if any). */
  recorded(round: TwinPriorRound, published: PublishedPrior | null): void;
}

type RoundSettings = { secure: boolean; noise: 'none' | 'central' | 'distributed'; z: number };

/**
 * The twin-prior task: `iterations` EM rounds. Each asks the host task's idle opted-in devices to fit their own twin
 * under the current prior and add their bounded moments (plain, or through secure aggregation); the sum gives the next
 * prior (`priorFromMoments`), published once at least `minAthletes` contributed. Under DP each round is one more
 * Gaussian release charged to the host task's ledger before any device is asked, and refunded when it was abandoned
 * before anything was released. Every round's record and the published prior are kept in the store.
 */
export class TwinPriorRounds {
  private readonly strikes = new Map<TaskId, StrikeLedger>();

  constructor(private readonly c: TwinPriorContext) {}

  async run(input: TwinPriorConfigInput, start: PublishedPrior | null): Promise<{ published: PublishedPrior | null; rounds: TwinPriorRound[] }> {
    const config = twinPriorConfigSchema.parse(input);
    const host = this.c.hostConfig(config.task);
    const settings: RoundSettings = {
      secure: config.secureAggregation ?? host.secureAggregation.enabled,
      noise: config.noise ?? host.privacy.noise,
      z: config.noiseMultiplier ?? host.privacy.noiseMultiplier,
    };
    let prior: PopulationPrior = start?.prior ?? DEFAULT_PRIOR;
    let published = start;
    // `iterations` counts every round the store holds: a restarted coordinator or a new leader runs only the rest,
    // so no release (and no epsilon) is spent again on rounds already run.
    const recorded = this.c.store.twinPriorRounds();
    let used = recorded.filter((r) => r.published).length;
    const rounds: TwinPriorRound[] = [];
    if (recorded.length >= config.iterations) {
      this.c.logger.info({ task: config.task, recorded: recorded.length, iterations: config.iterations }, 'the twin-prior task has run all its rounds already; not run again (raise iterations to refine the prior)');
      return { published, rounds };
    }
    for (let iteration = recorded.length + 1; iteration <= config.iterations; iteration++) {
      const { round, sum, refund } = await this.round(config, host, settings, iteration, prior);
      let next: PublishedPrior | null = null;
      if (sum && round.athletes !== null && round.athletes >= config.minAthletes) {
        const nextPrior = boundedPrior(priorFromMoments(sum, prior, config.minAthletes));
        next = { prior: nextPrior, rounds: used + 1, publishedAt: round.endedAt, task: config.task, secureAggregation: settings.secure, noise: settings.noise, noiseMultiplier: settings.noise === 'none' ? 0 : settings.z };
        round.published = true;
      }
      // The record, the published prior and a refund land together (every node then serves this prior).
      const stored = this.c.store.commitTwinPriorRound(config.task, round, { published: next, refund });
      if (next) {
        prior = next.prior;
        published = next;
        used++;
      }
      this.c.recorded(stored, next);
      rounds.push(stored);
      this.c.logger.info({ task: config.task, iteration, status: stored.status, reason: stored.reason, athletes: stored.athletes, published: stored.published, epsilon: stored.epsilon, refunded: stored.refunded }, 'twin-prior round ended');
    }
    return { published, rounds };
  }

  /** `refund`: the round was charged and abandoned before anything was released (the training rounds' rule). */
  private async round(config: TwinPriorConfig, host: TaskConfig, s: RoundSettings, iteration: number, prior: PopulationPrior): Promise<{ round: TwinPriorRound; sum: Float64Array | null; refund: boolean }> {
    const roundId = `twinPrior-${iteration}-${randomSuffix()}`;
    const startedAt = new Date(this.c.clock.now()).toISOString();
    const base = { iteration, roundId, startedAt, athletes: null, published: false, epsilon: null, refunded: false, moments: null, noiseStd: null };
    const abandon = (reason: string, selected = 0, reported = 0) => ({ round: { ...base, endedAt: new Date(this.c.clock.now()).toISOString(), status: 'abandoned' as const, reason, selected, reported }, sum: null, refund: false });
    if (s.noise === 'distributed' && !s.secure) return abandon('distributed noise needs secure aggregation');
    const minClients = s.secure ? Math.max(3, config.minClients) : config.minClients;
    const privacyConfig: TaskConfig = { ...host, clientsPerRound: config.clients, minClients: Math.min(minClients, config.clients), overSelection: 1, privacy: { ...host.privacy, noise: s.noise, noiseMultiplier: s.z, adaptiveClipping: null } };
    const candidates = this.c.registry.idleFor(config.task).filter((cl) => this.c.auth.isActive(cl.clientId));
    const { chosen, checkInRate } = selectRound(privacyConfig, candidates, this.c.population(config.task), this.c.selectionRandom);
    if (chosen.length < minClients) return abandon(`${chosen.length} of ${candidates.length} idle opted-in ${config.task} clients selected, ${minClients} needed`, chosen.length);
    const selected = new Set(chosen.map((cl) => cl.clientId));
    const encoding: SecureFit | null = s.secure ? planPriorEncoding({ noise: s.noise, noiseMultiplier: s.noise === 'none' ? null : s.z, minClients }, selected.size) : null;
    const plan = planRoundPrivacy(privacyConfig, checkInRate, this.c.store.loadLedger(config.task), distributedCorrection(encoding, selected.size, MOMENT_LENGTH, s.noise === 'none' ? null : s.z));
    if (!plan.ok) return abandon(plan.reason, selected.size);
    // Charged before any device is asked, like a training round: a crash never forgets spent epsilon.
    if (plan.privacy) this.c.store.chargeLedger(config.task, plan.privacy.entry, roundId);
    const deadline = this.c.clock.now() + config.roundTimeoutMs;
    const workflow = encoding
      ? new SecurePriorWorkflow({
          roundId, selected, minClients, deadline, encoding,
          neighbours: host.secureAggregation.neighbours, threshold: host.secureAggregation.threshold, phaseTimeoutMs: host.secureAggregation.phaseTimeoutMs,
          clock: this.c.clock, identityOf: (id) => this.c.identityOf(id), strikes: this.strikesOf(host), logger: this.c.logger, io: this.c.gateway,
          broadcast: (ids, payload) => this.c.gateway.sendToClients(ids, { type: 'secagg', roundId, payload }),
          noise: s.noise, noiseMultiplier: s.z, random: this.c.random,
        })
      : new PlainPriorWorkflow({ roundId, selected, minClients, deadline, centralNoise: s.noise === 'central' ? { noiseMultiplier: s.z, random: this.c.random } : null, clock: this.c.clock, io: this.c.gateway });
    this.c.host(roundId, workflow);
    for (const id of selected) {
      const cl = this.c.registry.byId(id);
      if (cl) cl.busyWith = roundId;
    }
    this.c.gateway.sendToClients(selected, { type: 'statisticRequest', roundId, task: config.task, statistic: 'twinPrior', iteration, prior, deadline, secure: encoding });
    let result: PriorSumResult;
    try {
      result = await workflow.run();
    } finally {
      this.c.unhost(roundId);
      for (const id of selected) {
        const cl = this.c.registry.byId(id);
        if (cl && cl.busyWith === roundId) cl.busyWith = null;
      }
    }
    const counted = new Set(result.ok ? result.reported : []);
    for (const id of selected) {
      const cl = this.c.registry.byId(id);
      if (cl) this.c.gateway.sendTo(cl, { type: 'roundEnd', roundId, task: config.task, round: iteration, status: result.ok ? 'completed' : 'abandoned', counted: counted.has(id), model: null });
    }
    const epsilon = plan.privacy?.epsilonAfter ?? null;
    if (!result.ok) return { round: { ...abandon(result.reason, selected.size, result.reported.length).round, epsilon }, sum: null, refund: !result.released && plan.privacy !== null };
    const implausible = priorSumProblem(result.sum, result.reported.length, result.noiseStd);
    if (implausible !== null) {
      this.c.logger.warn({ roundId, reason: implausible }, 'twin-prior sum refused: a contribution was outside its bounds');
      return { round: { ...base, endedAt: new Date(this.c.clock.now()).toISOString(), status: 'completed', reason: `sum refused, nothing published: ${implausible}`, selected: selected.size, reported: result.reported.length, epsilon }, sum: null, refund: false };
    }
    const athletes = Math.max(0, Math.round(result.sum[0]!));
    return { round: { ...base, endedAt: new Date(this.c.clock.now()).toISOString(), status: 'completed', reason: athletes < config.minAthletes ? `${athletes} athletes with a personal fit, ${config.minAthletes} needed to publish` : null, selected: selected.size, reported: result.reported.length, athletes, epsilon, moments: [...result.sum], noiseStd: [...result.noiseStd] }, sum: result.sum, refund: false };
  }

  private strikesOf(host: TaskConfig): StrikeLedger {
    let ledger = this.strikes.get(host.task);
    if (!ledger) this.strikes.set(host.task, (ledger = new StrikeLedger(host.secureAggregation.maxStrikesPerClient ?? 3)));
    return ledger;
  }
}

function randomSuffix(): string {
  return [...globalThis.crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
