import { describe, expect, it } from 'vitest';
import { configDiff } from '../src/console/configDiff.ts';
import { whyNoRound, type RoundReadiness } from '../src/console/whyNoRound.ts';
import type { PublicRound } from '../src/dashboard/publicRound.ts';
import type { BudgetReport } from '../src/http/budgetReport.ts';
import { defaultTaskConfig } from '@huddle/shared/protocol';

const budget = (o: Partial<BudgetReport> = {}): BudgetReport => ({ task: 'injury', charges: 0, delta: 1e-5, epsilonSpent: 0, order: null, epsilonBudget: null, remaining: null, exhausted: false, noise: 'none', ...o });
const refused = (reason: string): PublicRound => ({ task: 'injury', round: 3, roundId: 'injury-3-x', status: 'abandoned', reason, startedAt: '', endedAt: '', selected: 0, reported: 0, dropped: 0, numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation: false });
const base: RoundReadiness = { round: 2, running: false, idle: 2, connected: 2, enrolled: 6, minClients: 4, budget: budget(), last: null, complete: false };

describe('why no round is starting', () => {
  it('counts the clients it waits for, busy ones and enrolled ones', () => {
    expect(whyNoRound(base)).toEqual({ state: 'waiting', message: 'Waiting for 4 connected opted-in clients (2 now, 6 enrolled for this task).' });
    expect(whyNoRound({ ...base, connected: 3 }).message).toBe('Waiting for 4 connected opted-in clients (2 now, 1 busy in another round, 6 enrolled for this task).');
  });

  it('names the running round by its own number, not the last completed one', () => {
    expect(whyNoRound({ ...base, running: true })).toEqual({ state: 'running', message: 'Round 3 is running.' });
  });

  it('says a privacy refusal stands, with the epsilon reason, until the budget changes', () => {
    const reason = 'privacy budget: this round would take epsilon from 4.100 to 6.200, past the budget of 5 (delta 0.00001)';
    const withBudget = { ...base, idle: 5, connected: 5, budget: budget({ noise: 'central', epsilonBudget: 5, epsilonSpent: 4.1, remaining: 0.9, charges: 2 }), last: refused(reason) };
    expect(whyNoRound(withBudget)).toEqual({ state: 'refused', message: 'Refused for the privacy budget: this round would take epsilon from 4.100 to 6.200, past the budget of 5 (delta 0.00001).' });
    expect(whyNoRound({ ...withBudget, budget: { ...withBudget.budget, epsilonBudget: 10 } }).state).toBe('ready');
    expect(whyNoRound({ ...withBudget, budget: { ...withBudget.budget, epsilonSpent: 5, exhausted: true } }).message).toMatch(/^Refused for the privacy budget: ε 5 spent of 5/);
  });

  it('says a complete model (every tree built) opens no round, whoever is connected', () => {
    expect(whyNoRound({ ...base, round: 192, idle: 9, connected: 9, complete: true })).toEqual({ state: 'refused', message: 'The model is complete after 192 rounds: every tree is built, so no further round opens. Start a new task to train further.' });
  });

  it('is ready when enough clients are idle and nothing refuses', () => {
    expect(whyNoRound({ ...base, idle: 4, connected: 4 })).toEqual({ state: 'ready', message: "4 clients are ready: round 3 starts at the scheduler's next turn." });
  });
});

describe('task settings diff', () => {
  it('lists each changed leaf with its old and new value', () => {
    const now = defaultTaskConfig('injury');
    const next = { ...now, minClients: 4, privacy: { ...now.privacy, epsilonBudget: 8 } };
    expect(configDiff(now, next)).toEqual([
      { path: 'minClients', from: 3, to: 4 },
      { path: 'privacy.epsilonBudget', from: null, to: 8 },
    ]);
    expect(configDiff(now, structuredClone(now))).toEqual([]);
  });
});
