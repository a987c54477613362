import { afterEach, describe, expect, it } from 'vitest';
import { clippedDelta } from '@huddle/client-sdk';
import { taskExamples, temporalSplit } from '@huddle/shared/data';
import { buildAthleteFeatures } from '@huddle/shared/features';
import { additiveContribution, applyAdditiveAggregate, applyTreeAggregate, legacyModelSettings, modelFamily, parameterCount, tfjsTrainer, treeContribution, type TrainingData } from '@huddle/shared/model';
import { clipL2InPlace } from '@huddle/shared/privacy';
import { defaultModelSettings, taskModel } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';
import { vanishAfter } from '../helpers/dropAfter.ts';

const SECURE = { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 8_000 };

/** The example-weighted mean of every client's clipped contribution, recomputed locally from its own rows. */
function localMean(fed: TestFederation, length: number, contribute: (train: TrainingData) => { vector: Float32Array; weight: number }): Float32Array {
  const clipNorm = fed.running.coordinator.taskState('readiness').config.fit.clipNorm;
  const sum = new Float64Array(length);
  let examples = 0;
  for (const rows of fed.rowsByClient.values()) {
    const { train } = temporalSplit(taskExamples(buildAthleteFeatures(rows), 'readiness'), 0.2);
    const { vector, weight } = contribute(train);
    clipL2InPlace(vector, clipNorm);
    for (let i = 0; i < vector.length; i++) sum[i]! += vector[i]! * weight;
    examples += weight;
  }
  return Float32Array.from(sum, (v) => v / examples);
}

describe('secure aggregation over socket.io', () => {
  let fed: TestFederation | null = null;
  afterEach(async () => {
    await fed?.close();
    fed = null;
  });

  it('gives the additive model the global step of the summed per-bin statistics, up to quantization', async () => {
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config: { clientsPerRound: 5, minClients: 5, overSelection: 1, secureAggregation: SECURE } });
    const state = fed.running.coordinator.taskState('readiness');
    const settings = taskModel(state.config);
    expect(settings.kind).toBe('additive');
    const before = Float32Array.from(state.weights);
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.secureAggregation).toBe(true);
    // The contribution's length is the model's contribution layout (with the default median step, per-slot residual bucket counts), not the parameters'.
    const length = parameterCount(modelFamily(settings.kind).contributionManifest(state.spec, settings));
    const expected = applyAdditiveAggregate('readiness', settings, before, localMean(fed, length, (train) => additiveContribution('readiness', settings, before, train)));
    const after = fed.running.coordinator.taskState('readiness').weights;
    let maxErr = 0;
    let maxStep = 0;
    for (let i = 0; i < after.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(after[i]! - expected[i]!));
      maxStep = Math.max(maxStep, Math.abs(expected[i]! - before[i]!));
    }
    console.log(`additive model after a secure round vs the locally recomputed step: max abs error ${maxErr.toExponential(2)} (largest step ${maxStep.toExponential(2)})`);
    expect(maxStep).toBeGreaterThan(1e-2);
    expect(maxErr).toBeLessThan(1e-3 * maxStep);
    // The mean forecast's correction (the second half of the parameters) rides the same secure sum and moved too.
    expect(settings.meanForecast).toBe(true);
    let correctionStep = 0;
    for (let i = after.length / 2; i < after.length; i++) correctionStep = Math.max(correctionStep, Math.abs(after[i]! - before[i]!));
    expect(correctionStep).toBeGreaterThan(1e-3);
  });

  it('grows the boosted trees by the split the summed per-node statistics choose, as a local recomputation does', async () => {
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config: { clientsPerRound: 5, minClients: 5, overSelection: 1, secureAggregation: SECURE, model: defaultModelSettings('readiness', 'trees') } });
    const state = fed.running.coordinator.taskState('readiness');
    const settings = taskModel(state.config);
    expect(settings.kind).toBe('trees');
    const before = Float32Array.from(state.weights);
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.secureAggregation).toBe(true);
    const length = parameterCount(modelFamily(settings.kind).contributionManifest(state.spec, settings));
    const expected = applyTreeAggregate('readiness', settings, before, localMean(fed, length, (train) => treeContribution('readiness', settings, before, train)));
    const after = fed.running.coordinator.taskState('readiness').weights;
    let changed = 0;
    let maxErr = 0;
    for (let i = 0; i < after.length; i++) {
      if (expected[i] !== before[i]) changed++;
      maxErr = Math.max(maxErr, Math.abs(after[i]! - expected[i]!));
    }
    console.log(`trees after a secure round vs the local recomputation: ${changed} parameters changed, max abs error ${maxErr.toExponential(2)}`);
    expect(changed).toBeGreaterThan(0);
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('gives the example-weighted mean of the clients clipped updates (FedAvg), up to quantization', async () => {
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config: { clientsPerRound: 5, minClients: 5, overSelection: 1, secureAggregation: SECURE, model: legacyModelSettings('readiness') } });
    const state = fed.running.coordinator.taskState('readiness');
    const before = Float32Array.from(state.weights);
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.secureAggregation).toBe(true);
    expect(record.reported).toHaveLength(5);
    // Recompute every client's clipped update locally, exactly as the SDK does, and average.
    const fit = { ...state.config.fit, seed: (state.config.fit.seed * 1_000_003 + 1) >>> 0 };
    const expected = new Float64Array(before.length);
    let examples = 0;
    for (const rows of fed.rowsByClient.values()) {
      const { train } = temporalSplit(taskExamples(buildAthleteFeatures(rows), 'readiness'), 0.2);
      const result = await tfjsTrainer.train(state.spec, before, train, { epochs: fit.localEpochs, batchSize: fit.batchSize, learningRate: fit.learningRate, seed: fit.seed, proximalMu: fit.proximalMu });
      const { update } = clippedDelta(result.weights, before, fit.clipNorm);
      for (let i = 0; i < update.length; i++) expected[i]! += update[i]! * train.n;
      examples += train.n;
    }
    for (let i = 0; i < expected.length; i++) expected[i]! /= examples;
    expect(record.numExamples).toBe(examples);
    const after = fed.running.coordinator.taskState('readiness').weights;
    let maxErr = 0;
    let maxUpdate = 0;
    for (let i = 0; i < after.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(after[i]! - before[i]! - expected[i]!));
      maxUpdate = Math.max(maxUpdate, Math.abs(expected[i]!));
    }
    console.log(`secure weighted mean vs locally recomputed one: max abs error ${maxErr.toExponential(2)} (largest update coordinate ${maxUpdate.toExponential(2)})`);
    expect(maxUpdate).toBeGreaterThan(1e-3);
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('completes when a third of the clients vanish after sharing their keys', async () => {
    fed = await startTestFederation({
      clients: 7,
      tasks: ['readiness'],
      // k = 6 neighbours, t = 4 shares: every client's secrets stay recoverable with 5 survivors, the fewest the
      // clients' default privacy policy lets a sum be revealed over.
      config: { clientsPerRound: 7, minClients: 5, overSelection: 1, secureAggregation: { ...SECURE, threshold: 4 } },
      wrap: (i, t) => (i === 2 || i === 5 ? vanishAfter(t, 'secagg/share-keys') : t),
    });
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.reason).toBeNull();
    expect(record.status).toBe('completed');
    expect(record.reported.sort()).toEqual(['client-1', 'client-3', 'client-4', 'client-6', 'client-7']);
    expect(record.dropped.sort()).toEqual(['client-2', 'client-5']);
  });

  it('abandons the round, revealing nothing, when fewer than the threshold survive', async () => {
    fed = await startTestFederation({
      clients: 5,
      tasks: ['readiness'],
      config: { clientsPerRound: 5, minClients: 3, overSelection: 1, secureAggregation: SECURE },
      wrap: (i, t) => (i <= 3 ? vanishAfter(t, 'secagg/share-keys') : t),
    });
    const before = Float32Array.from(fed.running.coordinator.taskState('readiness').weights);
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.status).toBe('abandoned');
    expect(record.reason).toMatch(/2 masked inputs arrived, 3 needed; nothing was unmasked/);
    expect(Array.from(fed.running.coordinator.taskState('readiness').weights)).toEqual(Array.from(before));
  });
});
