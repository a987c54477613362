import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

describe('coordinator + 6 clients over socket.io on loopback', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startTestFederation({ clients: 6, tasks: ['readiness', 'injury'], config: { clientsPerRound: 6, minClients: 4, overSelection: 1 } });
  });
  afterAll(async () => fed.close());

  it('lowers the held-out readiness loss over rounds', async () => {
    const losses: number[] = [];
    for (let r = 0; r < 5; r++) {
      const record = await fed.running.coordinator.runRound('readiness');
      expect(record.status).toBe('completed');
      expect(record.reported).toHaveLength(6);
      losses.push(record.metrics!.loss!);
    }
    console.log('held-out readiness loss per round:', losses.map((l) => l.toFixed(4)).join(' '));
    expect(losses[4]!).toBeLessThan(losses[0]!);
    expect(Math.min(...losses.slice(2))).toBeLessThan(losses[0]! * 0.9);
  });

  it('lowers the held-out injury loss over rounds and reports a ROC AUC', async () => {
    const losses: number[] = [];
    let auc: number | null | undefined = null;
    for (let r = 0; r < 4; r++) {
      const record = await fed.running.coordinator.runRound('injury');
      expect(record.status).toBe('completed');
      losses.push(record.metrics!.loss!);
      auc = record.metrics!.auc;
    }
    console.log('held-out injury loss per round:', losses.map((l) => l.toFixed(4)).join(' '), 'AUC', auc);
    expect(losses[3]!).toBeLessThan(losses[0]!);
    // The held-out days include injuries, so the federation-wide AUC exists and is a real rank statistic.
    expect(auc).not.toBeNull();
    expect(auc!).toBeGreaterThan(0.5);
    expect(auc!).toBeLessThanOrEqual(1);
  });

  it('serves the round history and the global model (the additive model as huddle-additive files)', async () => {
    const rounds = (await (await fetch(`${fed.running.url}/api/tasks/readiness/rounds`)).json()) as { round: number; reported: string[]; metrics: { mae: number } }[];
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);
    expect(rounds[4]!.metrics.mae).toBeGreaterThan(0);
    const json = (await (await fetch(`${fed.running.url}/api/tasks/readiness/model/model.json`)).json()) as { format: string; userDefinedMetadata: { model: { kind: string } } };
    expect(json.format).toBe('huddle-additive');
    expect(json.userDefinedMetadata.model.kind).toBe('additive');
    const bin = new Uint8Array(await (await fetch(`${fed.running.url}/api/tasks/readiness/model/weights.bin`)).arrayBuffer());
    const served = Array.from(new Float32Array(bin.slice().buffer));
    const current = Array.from(fed.running.coordinator.taskState('readiness').weights);
    expect(served).toEqual(current);
    const health = (await (await fetch(`${fed.running.url}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const missing = await fetch(`${fed.running.url}/api/tasks/nope/rounds`);
    expect(missing.status).toBe(404);
  });
});
