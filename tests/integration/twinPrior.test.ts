import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport, twinPriorContribution, type ClientEvent } from '@huddle/client-sdk';
import { SqliteStore } from '@huddle/coordinator';
import { openFederationPolicy, type PrivacyPolicy } from '@huddle/shared/protocol';
import { addMoments, boundedPrior, DEFAULT_PRIOR, MOMENT_FIELDS, MOMENT_LENGTH, priorFromMoments, publishedPriorSchema, type PopulationPrior } from '@huddle/shared/twin';
import type { DailyLogRow } from '@huddle/shared/log';
import { generateSyntheticFederation } from '@huddle/simulations';
import { groupByAthlete } from '@huddle/shared/log';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';
import { RawClient } from '../helpers/rawClient.ts';
import { auditClientTraffic } from '../helpers/trafficAudit.ts';

const SECURE = { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 8_000 };
const FIELDS = ['logFitnessTau', 'logFatigueTau', 'baseline', 'fitnessGain', 'logGainRatio', 'dayAfterGain'] as const;

/** The EM rounds recomputed here from every athlete's own rows, exactly as the devices fit them. */
function localPrior(rows: readonly (readonly DailyLogRow[])[], iterations: number, minAthletes: number): { prior: PopulationPrior; sum: Float64Array } {
  let prior = DEFAULT_PRIOR;
  let sum: Float64Array = new Float64Array(MOMENT_LENGTH);
  for (let i = 0; i < iterations; i++) {
    sum = addMoments(rows.map((r) => {
      const c = twinPriorContribution(r, prior);
      if (!c.ok) throw new Error(c.reason);
      return c.vector;
    }));
    prior = boundedPrior(priorFromMoments(sum, prior, minAthletes));
  }
  return { prior, sum };
}

/** A device of one synthetic athlete (data seed `seed`) whose policy's twin-prior term is `term`. */
function deviceWithPriorTerm(url: string, clientId: string, seed: number, term: PrivacyPolicy['statistics']['twinPrior']): FederatedClient {
  const rows = groupByAthlete(generateSyntheticFederation({ athletes: 1, days: 240, seed })).values().next().value!;
  const policy = openFederationPolicy();
  return new FederatedClient({
    transport: new SocketIoClientTransport(url, { reconnection: false }),
    clientId,
    data: new InMemoryDataSource(rows),
    tasks: ['readiness'],
    privacyPolicy: { ...policy, statistics: { ...policy.statistics, twinPrior: term } },
  });
}

function maxDifference(a: PopulationPrior, b: PopulationPrior): number {
  let d = Math.abs(a.residualSd - b.residualSd);
  for (const f of FIELDS) d = Math.max(d, Math.abs(a[f].mean - b[f].mean), Math.abs(a[f].sd - b[f].sd));
  return d;
}

describe('the twin prior as a coordinator task over socket.io', () => {
  let fed: TestFederation | null = null;
  const extra: { stop(): void }[] = [];
  afterEach(async () => {
    extra.splice(0).forEach((c) => c.stop());
    await fed?.close();
    fed = null;
  });

  it('publishes, after two secure EM rounds, the prior of the moments of the clients own fits, and only sums leave the devices', async () => {
    fed = await startTestFederation({ clients: 6, tasks: ['readiness'], config: { clientsPerRound: 6, minClients: 3, overSelection: 1, secureAggregation: SECURE } });
    const { published, rounds } = await fed.running.coordinator.learnTwinPrior({ task: 'readiness', iterations: 2, clients: 6, minClients: 5, minAthletes: 3, roundTimeoutMs: 30_000 });
    expect(rounds.map((r) => [r.status, r.reported, r.published])).toEqual([['completed', 6, true], ['completed', 6, true]]);
    const expected = localPrior([...fed.rowsByClient.values()], 2, 3);
    expect(published).not.toBeNull();
    expect(published!.secureAggregation).toBe(true);
    expect(published!.rounds).toBe(2);
    expect(published!.prior.athletes).toBe(Math.round(expected.sum[0]!));
    expect(published!.prior.athletes).toBeGreaterThanOrEqual(3);
    const diff = maxDifference(published!.prior, expected.prior);
    console.log(`twin prior after 2 secure rounds vs the locally recomputed EM: max abs difference ${diff.toExponential(2)}; fatigue tau ${Math.exp(published!.prior.logFatigueTau.mean).toFixed(2)} d, gain ratio ${Math.exp(published!.prior.logGainRatio.mean).toFixed(2)}`);
    // Fixed-point quantization of the secure sum only.
    expect(diff).toBeLessThan(1e-4);
    // It moved away from the built-in prior: the EM learned something.
    expect(maxDifference(published!.prior, DEFAULT_PRIOR)).toBeGreaterThan(0.05);
    for (const sent of fed.sent.values()) {
      const audit = auditClientTraffic(sent);
      expect(audit.findings).toEqual([]);
      expect(audit.messages.some((m) => m.type === 'secagg' && String(m.payload.roundId ?? '').endsWith(':prior'))).toBe(true);
    }
    const res = await fetch(`${fed.running.url}/api/twin-prior`);
    expect(res.status).toBe(200);
    expect(publishedPriorSchema.parse(await res.json())).toEqual(published);
    // Started again with the same task (a restart, a new leader): its rounds are in the store, so nothing runs and
    // nothing more is released; asked for one more iteration, it runs only that one, from the published prior.
    const again = await fed.running.coordinator.learnTwinPrior({ task: 'readiness', iterations: 2, clients: 6, minClients: 5, minAthletes: 3, roundTimeoutMs: 30_000 });
    expect(again.rounds).toEqual([]);
    expect(again.published).toEqual(published);
    const more = await fed.running.coordinator.learnTwinPrior({ task: 'readiness', iterations: 3, clients: 6, minClients: 5, minAthletes: 3, roundTimeoutMs: 30_000 });
    expect(more.rounds.map((r) => [r.iteration, r.status, r.published])).toEqual([[3, 'completed', true]]);
    expect(more.published!.rounds).toBe(3);
  });

  it('refuses an out-of-range contribution, and a device refuses a plaintext round its policy forbids, while the round carries on', async () => {
    fed = await startTestFederation({ clients: 4, tasks: ['readiness'], config: { clientsPerRound: 6, minClients: 3, overSelection: 1 } });
    const before = await fetch(`${fed.running.url}/api/twin-prior`);
    expect(before.status).toBe(204);
    // A device whose athlete allowed the twin's moments only inside a secure sum.
    const strict = deviceWithPriorTerm(fed.running.url, 'strict-1', 99, 'secure-only');
    extra.push(strict);
    const refusals: Extract<ClientEvent, { type: 'refused' }>[] = [];
    strict.on((e) => e.type === 'refused' && refusals.push(e));
    await strict.start();
    const rogue = new RawClient(fed.running.url);
    extra.push({ stop: () => rogue.close() });
    await rogue.hello('rogue-1', ['readiness']);
    const running = fed.running.coordinator.learnTwinPrior({ iterations: 1, clients: 6, minClients: 3, minAthletes: 3, secureAggregation: false, roundTimeoutMs: 20_000 });
    const request = await rogue.next((m) => m.type === 'statisticRequest');
    if (request.type !== 'statisticRequest') throw new Error('expected a statistic request');
    const values = new Array<number>(MOMENT_LENGTH).fill(0);
    values[0] = 1;
    MOMENT_FIELDS.forEach(({ bounds }, i) => {
      values[1 + 2 * i] = bounds[0];
      values[2 + 2 * i] = bounds[0] ** 2;
    });
    // A fatigue time constant of 55 days: outside the field's bounds (2-30 days on the log scale).
    values[3] = Math.log(55);
    values[4] = Math.log(55) ** 2;
    rogue.sendMessage({ type: 'statisticResult', roundId: request.roundId, statistic: 'twinPrior', values });
    const { published, rounds } = await running;
    const error = await rogue.next((m) => m.type === 'error' && m.roundId === request.roundId);
    if (error.type !== 'error') throw new Error('expected an error');
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/twin-prior contribution refused: logFatigueTau mean 4\.007 is outside \[0\.6931, 3\.401\]/);
    expect(refusals.map((r) => r.code)).toEqual(['statistic-refused']);
    expect(refusals[0]!.reason).toMatch(/in plaintext; you agreed to secure-only/);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ status: 'completed', selected: 6, reported: 4 });
    // Plain sums are exact: the published prior is the honest devices' EM step.
    const expected = localPrior([...fed.rowsByClient.values()], 1, 3);
    expect(published!.prior.athletes).toBe(expected.prior.athletes);
    expect(maxDifference(published!.prior, expected.prior)).toBeLessThan(1e-9);
    const after = await fetch(`${fed.running.url}/api/twin-prior`);
    expect(publishedPriorSchema.parse(await after.json()).prior.athletes).toBe(expected.prior.athletes);
  });

  it('under distributed DP the coordinator learns the sum within the noise the devices added, and the host task pays for it', async () => {
    fed = await startTestFederation({ clients: 6, tasks: ['readiness'], config: { clientsPerRound: 6, minClients: 5, overSelection: 1, secureAggregation: SECURE, privacy: { noise: 'distributed', noiseMultiplier: 1, delta: 1e-5, epsilonBudget: null, population: 6, adaptiveClipping: null } } });
    const { rounds } = await fed.running.coordinator.learnTwinPrior({ iterations: 1, clients: 6, minClients: 5, minAthletes: 3, roundTimeoutMs: 30_000 });
    const round = rounds[0]!;
    expect(round.status).toBe('completed');
    expect(round.epsilon).toBeGreaterThan(0);
    const exact = localPrior([...fed.rowsByClient.values()], 1, 3).sum;
    const moments = round.moments!;
    const noiseStd = round.noiseStd!;
    // z = 1 on the normalized vector (L2 <= sqrt(15)): at least that much noise on the count, sized for 5 survivors.
    expect(noiseStd[0]!).toBeGreaterThan(0.99 * Math.sqrt(MOMENT_LENGTH));
    for (let i = 0; i < MOMENT_LENGTH; i++) expect(Math.abs(moments[i]! - exact[i]!)).toBeLessThan(6 * noiseStd[i]!);
    expect(moments.some((m, i) => Math.abs(m - exact[i]!) > 0.1 * noiseStd[i]!)).toBe(true);
  });

  it('charges the host task before asking the devices and takes the charge back when too few answer (central DP, SQLite store)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huddle-refund-'));
    const store = new SqliteStore(join(dir, 'coordinator.sqlite'));
    const centralDp = { noise: 'central' as const, noiseMultiplier: 1, delta: 1e-5, epsilonBudget: null, population: 4, adaptiveClipping: null };
    fed = await startTestFederation({ clients: 3, tasks: ['readiness'], store, dataDir: dir, config: { clientsPerRound: 4, minClients: 3, overSelection: 1, privacy: centralDp } });
    // A fourth device whose athlete never shares the twin's moments: it refuses, so each round gets 3 of the 4 it needs.
    const refuser = deviceWithPriorTerm(fed.running.url, 'never-1', 98, 'never');
    extra.push(refuser);
    await refuser.start();
    const { published, rounds } = await fed.running.coordinator.learnTwinPrior({ iterations: 2, clients: 4, minClients: 4, minAthletes: 3, secureAggregation: false, roundTimeoutMs: 4_000 });
    expect(published).toBeNull();
    expect(rounds.map((r) => [r.status, r.selected, r.reported, r.refunded])).toEqual([['abandoned', 4, 3, true], ['abandoned', 4, 3, true]]);
    expect(rounds[0]!.reason).toMatch(/3 contributions arrived, 4 needed/);
    // Each round was charged (the epsilon it took the ledger to), and the second started from the same empty ledger.
    expect(rounds[0]!.epsilon).toBeGreaterThan(0);
    expect(rounds[1]!.epsilon).toBe(rounds[0]!.epsilon);
    expect(store.loadLedger('readiness').entries).toEqual([]);
    const served = (await (await fetch(`${fed.running.url}/api/twin-prior/rounds`)).json()) as { status: string; refunded: boolean }[] | { rounds: { status: string; refunded: boolean }[] };
    expect((Array.isArray(served) ? served : served.rounds).map((r) => [r.status, r.refunded])).toEqual([['abandoned', true], ['abandoned', true]]);
    expect((await fetch(`${fed.running.url}/api/twin-prior`)).status).toBe(204);
  });
});
