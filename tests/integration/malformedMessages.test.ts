import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { modelFamily, parameterCount } from '@huddle/shared/model';
import { taskModel } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';
import { RawClient } from '../helpers/rawClient.ts';

describe('malformed messages during a round', () => {
  let fed: TestFederation;
  let hostile: RawClient;
  beforeAll(async () => {
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config: { clientsPerRound: 6, minClients: 5, overSelection: 1, roundTimeoutMs: 20_000, evaluateTimeoutMs: 4_000 } });
    hostile = new RawClient(fed.running.url);
    await hostile.hello('hostile-1', ['readiness']);
  });
  afterAll(async () => {
    hostile.close();
    await fed.close();
  });
  // An update has the model's contribution layout (the additive model's median step sends more than its parameters).
  const contributionBytes = () => {
    const { config, spec } = fed.running.coordinator.taskState('readiness');
    const settings = taskModel(config);
    return 4 * parameterCount(modelFamily(settings.kind).contributionManifest(spec, settings));
  };

  it('rejects each with a clear error to that client while the honest clients finish the round', async () => {
    const roundPromise = fed.running.coordinator.runRound('readiness');
    const req = await hostile.next((m) => m.type === 'fitRequest');
    if (req.type !== 'fitRequest' || !req.weights) throw new Error('expected a fit request with weights');
    const size = contributionBytes();
    const nan = new Float32Array(size / 4);
    nan[3] = Number.NaN;
    hostile.sendRaw('not binary');
    hostile.sendRaw(new Uint8Array([0xc1, 0xff, 0x00]));
    hostile.sendRaw(encode({ type: 'fitResult', roundId: req.roundId, numExamples: 10, update: new Uint8Array(size), trainLoss: 0, clipBit: null }));
    hostile.sendMessage({ type: 'fitResult', roundId: req.roundId, numExamples: 'ten', update: new Uint8Array(8), trainLoss: 0, clipBit: null });
    hostile.sendMessage({ type: 'teleport', roundId: req.roundId });
    hostile.socket.emit('admin:reset', { please: true });
    hostile.sendMessage({ type: 'fitResult', roundId: req.roundId, numExamples: 10, update: new Uint8Array(size - 4), trainLoss: 0, clipBit: null });
    hostile.sendMessage({ type: 'fitResult', roundId: 'readiness-99-deadbeef', numExamples: 10, update: new Uint8Array(size), trainLoss: 0, clipBit: null });
    hostile.sendMessage({ type: 'fitResult', roundId: req.roundId, numExamples: 10, update: new Uint8Array(nan.buffer), trainLoss: 0, clipBit: null });
    const record = await roundPromise;
    // the NaN update got the hostile dropped; a norm violation from a fresh hostile is checked below
    expect(record.status).toBe('completed');
    expect(record.reported.sort()).toEqual(['client-1', 'client-2', 'client-3', 'client-4', 'client-5']);
    expect(record.reported).not.toContain('hostile-1');
    const codes = hostile.errors().map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['malformed', 'unknown-event', 'bad-update', 'stale-round']));
    expect(hostile.errors().find((e) => e.code === 'unknown-event')!.message).toMatch(/admin:reset/);
    expect(hostile.errors().some((e) => /not finite/.test(e.message))).toBe(true);
    expect(hostile.errors().some((e) => /expected \d+ float32 weights/.test(e.message))).toBe(true);
  });

  it('refuses an update over the clip bound and still completes the next round', async () => {
    const roundPromise = fed.running.coordinator.runRound('readiness');
    const req = await hostile.next((m) => m.type === 'fitRequest' && m.round === 2);
    if (req.type !== 'fitRequest' || !req.weights) throw new Error('expected a fit request with weights');
    const huge = new Float32Array(contributionBytes() / 4).fill(100);
    hostile.sendMessage({ type: 'fitResult', roundId: req.roundId, numExamples: 10, update: new Uint8Array(huge.buffer), trainLoss: 0, clipBit: null });
    const record = await roundPromise;
    expect(record.status).toBe('completed');
    expect(record.reported).toHaveLength(5);
    expect(hostile.errors().some((e) => /exceeds the clip bound/.test(e.message))).toBe(true);
    const health = await fetch(`${fed.running.url}/health`);
    expect(health.status).toBe(200);
  });
});
