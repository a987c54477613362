import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAthleteFeatures, FEATURE_COUNT } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import { buildTfModel, encodeWeights, getFlatWeights, initialWeights, legacyModelSettings, modelSpec, predictBatch, setFlatWeights, trainTf, type TaskId } from '@huddle/shared/model';
import { encodeEnvelope, encodeMessage, sealMessage } from '@huddle/shared/protocol';
import { Prng } from '@huddle/shared/random';
import { computeForecasts, MIN_PERSONAL_DAYS } from '../src/engine/forecast.ts';
import { fetchGlobalModel, ModelFetchError, type GlobalModel } from '../src/engine/modelFetch.ts';
import { describeOutgoing } from '../src/engine/outbox.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** A plausible athlete: load drives soreness and next-day readiness; an injury now and then. */
function athleteLog(days: number, seed = 3): DailyLogRow[] {
  const rng = new Prng(seed);
  const rows: DailyLogRow[] = [];
  let fatigue = 0;
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
    const rest = d % 7 === 6;
    const load = rest ? 0 : Math.round(rng.uniform(200, 900));
    fatigue = 0.7 * fatigue + load / 900;
    const item = (x: number) => Math.max(1, Math.min(5, Math.round(x)));
    rows.push({
      athleteId: 'a',
      date,
      srpeLoad: load,
      readiness: Math.max(0, Math.min(10, Math.round((8 - 1.5 * fatigue + rng.normal(0, 0.5)) * 2) / 2)),
      fatigue: item(4 - fatigue),
      mood: item(rng.uniform(2.5, 4.5)),
      sleepQuality: item(rng.uniform(2.5, 4.5)),
      soreness: item(4 - fatigue + rng.normal(0, 0.4)),
      stress: item(rng.uniform(2.5, 4.5)),
      sleepHours: Math.round(rng.uniform(6, 9) * 4) / 4,
      injury: d % 23 === 11 ? 1 : 0,
      hrvRmssdMs: Math.round(rng.uniform(50, 90)),
      restingHrBpm: Math.round(rng.uniform(48, 58)),
      sex: null,
      sport: null,
    });
  }
  return rows;
}

function models(round = 3): Partial<Record<TaskId, GlobalModel>> {
  const out: Partial<Record<TaskId, GlobalModel>> = {};
  for (const task of ['readiness', 'injury'] as const) {
    const spec = modelSpec(task, FEATURE_COUNT);
    out[task] = { task, round, spec, model: legacyModelSettings(task), weights: initialWeights(spec, task === 'injury' ? 5 : 6), source: 'download' };
  }
  return out;
}

describe('forecasts on the device', () => {
  it('forecasts both tasks with factors whose effects add up to the change from the typical day', async () => {
    const rows = athleteLog(90);
    const cache: NonNullable<Parameters<typeof computeForecasts>[0]['cache']> = new Map();
    const r = await computeForecasts({ rows, models: models(), train: trainTf, cache });
    expect(r.latestDate).toBe(rows.at(-1)!.date);
    for (const task of ['readiness', 'injury'] as const) {
      const f = r.forecasts[task]!;
      expect(f.fromDate).toBe(rows.at(-1)!.date);
      expect(f.baseline).toBe('typical-day');
      expect(f.modelRound).toBe(3);
      expect(f.factors.length).toBe(4);
      expect(f.personalization.labelledDays).toBeGreaterThanOrEqual(MIN_PERSONAL_DAYS);
      expect(f.personalization.heldOut).toBeDefined();
      expect(f.personalization.note.length).toBeGreaterThan(10);
      // Completeness holds to the 64-step quadrature: the gap is small next to the prediction change.
      expect(Math.abs(f.completenessGap)).toBeLessThan(0.05 * Math.max(1e-3, Math.abs(f.value - f.baselineValue)) + 1e-3);
      for (const factor of f.factors) {
        expect(factor.label).toMatch(/\w/);
        expect(factor.reading).toMatch(/\w/);
      }
    }
    // Each forecast is the personalized model's output on the latest day, computed here independently by
    // tfjs (the forecast comes from the integrated-gradients pass), clamped to 0-10 for readiness.
    const features = buildAthleteFeatures(rows);
    const last = features.dates.length - 1;
    expect(features.dates[last]).toBe(rows.at(-1)!.date);
    const latest = features.x.slice(last * FEATURE_COUNT, (last + 1) * FEATURE_COUNT);
    for (const task of ['readiness', 'injury'] as const) {
      const tuned = [...cache].find(([key]) => key.startsWith(`${task}:3:`))?.[1];
      expect(tuned, task).toBeDefined();
      const spec = modelSpec(task, FEATURE_COUNT);
      const net = buildTfModel(spec);
      setFlatWeights(net, spec, tuned!.weights);
      const output = predictBatch(net, spec, latest, 1)[0]!;
      net.dispose();
      expect(r.forecasts[task]!.value, task).toBeCloseTo(task === 'readiness' ? Math.min(10, Math.max(0, output)) : output, 4);
    }
    expect(r.forecasts.injury!.forDates[1] > r.forecasts.injury!.forDates[0]).toBe(true);
    // 90 trend days plus tomorrow's forecast.
    expect(r.trend.dates).toHaveLength(91);
    expect(r.trend.predictedReadiness.at(-1)).toBeCloseTo(r.forecasts.readiness!.value, 10);
    expect(r.trend.risk.filter((v) => v !== null)).toHaveLength(90);
  });

  it('uses the team model as is with few days, and a neutral baseline with under a week', async () => {
    const r = await computeForecasts({ rows: athleteLog(5), models: models(), train: trainTf });
    const f = r.forecasts.readiness!;
    expect(f.personalization.used).toBe(false);
    expect(f.personalization.note).toMatch(/28 days/);
    expect(f.baseline).toBe('neutral-day');
  });

  it('caches personalization until the model or the log changes', async () => {
    let calls = 0;
    const train: typeof trainTf = async (...args) => {
      calls++;
      return trainTf(...args);
    };
    const cache = new Map();
    const rows = athleteLog(60);
    await computeForecasts({ rows, models: models(), train, cache, dataVersion: 1 });
    await computeForecasts({ rows, models: models(), train, cache, dataVersion: 1 });
    expect(calls).toBe(2);
    await computeForecasts({ rows, models: models(4), train, cache, dataVersion: 1 });
    expect(calls).toBe(4);
  });

  it('says why a forecast is missing', async () => {
    expect((await computeForecasts({ rows: [], models: models() })).unavailable.injury).toMatch(/log a day/);
    const r = await computeForecasts({ rows: athleteLog(10), models: {} });
    expect(r.unavailable.readiness).toMatch(/no team model/);
    expect(r.trend.dates).toHaveLength(10);
  });
});

describe('global model download (tfjs layers format)', () => {
  async function serveModel(task: TaskId, weights: Float32Array, round: number): Promise<typeof fetch> {
    const spec = modelSpec(task, FEATURE_COUNT);
    const model = buildTfModel(spec);
    setFlatWeights(model, spec, weights);
    let files: { json: object; bin: ArrayBuffer } | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        files = {
          json: {
            format: 'layers-model',
            modelTopology: a.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
            userDefinedMetadata: { task, labelScale: spec.labelScale, inputSize: spec.inputSize },
          },
          bin: a.weightData as ArrayBuffer,
        };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(getFlatWeights(model)).toEqual(weights);
    model.dispose();
    return (async (url: string) => {
      if (url === `https://t/api/tasks/${task}/model/model.json`) return new Response(JSON.stringify(files!.json), { headers: { 'X-Huddle-Round': String(round) } });
      if (url === `https://t/api/tasks/${task}/model/weights.bin`) return new Response(files!.bin);
      return new Response('nope', { status: 404 });
    }) as unknown as typeof fetch;
  }

  it('reads the served model back into the flat weight layout', async () => {
    const spec = modelSpec('readiness', FEATURE_COUNT);
    const weights = initialWeights(spec, 77);
    const m = await fetchGlobalModel('https://t', 'readiness', await serveModel('readiness', weights, 12));
    expect(m.round).toBe(12);
    expect(m.spec).toEqual(spec);
    expect(Array.from(m.weights)).toEqual(Array.from(weights));
  });

  it('refuses a model of the wrong task or shape', async () => {
    const injury = await serveModel('injury', initialWeights(modelSpec('injury', FEATURE_COUNT), 1), 1);
    await expect(fetchGlobalModel('https://t', 'readiness', injury)).rejects.toBeInstanceOf(ModelFetchError);
  });
});

describe('what the athlete is shown of each outgoing message', () => {
  it('describes a signed update without any log value', () => {
    const update = new Float32Array(100).fill(0.1);
    const body = encodeMessage({ type: 'fitResult', roundId: 'readiness-3-abc', numExamples: 47, update: encodeWeights(update), trainLoss: 0.0819, clipBit: 1 });
    const nonce = new Uint8Array(32);
    const key = new Uint8Array(64).fill(1);
    const e = describeOutgoing(encodeEnvelope(sealMessage(key, nonce, 1, body)));
    expect(e.type).toBe('fitResult');
    expect(e.summary).toMatch(/clipped model update/);
    expect(Object.fromEntries(e.details)).toMatchObject({ Round: 'readiness-3-abc', 'Days trained on': '47', 'Within the size limit before clipping': 'yes (1 bit)', Signed: expect.stringMatching(/^yes/) });
    expect(Object.fromEntries(e.details).Update).toMatch(/^100 numbers \(400 bytes\), size 1\.000/);
  });

  it('describes evaluation histograms and unsigned hellos', () => {
    const positives = new Array(100).fill(0);
    const negatives = new Array(100).fill(0);
    positives[40] = 2;
    negatives[3] = 15;
    const evalMsg = describeOutgoing(encodeMessage({ type: 'evaluateResult', roundId: 'injury-1-x', numExamples: 17, sumLoss: 4.2, summary: { kind: 'binary', positives, negatives } }));
    expect(Object.fromEntries(evalMsg.details).Content).toBe('histogram of predicted risk by outcome (2 days with an injury after, 15 without)');
    const hello = describeOutgoing(encodeMessage({ type: 'hello', protocol: 1, clientId: 'cl_1', tasks: ['injury'], sdk: 'x' }));
    expect(hello.type).toBe('hello');
    expect(hello.details.find(([k]) => k === 'Signed')).toBeUndefined();
  });
});
