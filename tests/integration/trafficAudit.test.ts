import { afterAll, describe, expect, it } from 'vitest';
import { defaultTaskConfig, encodeEnvelope, encodeMessage, SCORE_BINS } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';
import { auditClientTraffic } from '../helpers/trafficAudit.ts';

/**
 * Issue 10's traffic audit: with secure aggregation on, no client message carries a per-athlete plaintext statistic
 * (evaluation counts, losses, example counts, clip bits). Every byte each client sent over socket.io is decoded.
 */
describe('client -> coordinator traffic audit', () => {
  const feds: TestFederation[] = [];
  afterAll(async () => {
    for (const f of feds) await f.close();
  });

  const run = async (secure: boolean) => {
    const base = defaultTaskConfig('readiness');
    const fed = await startTestFederation({
      clients: 5,
      tasks: ['injury', 'readiness'],
      config: { clientsPerRound: 5, minClients: 5, overSelection: 1, secureAggregation: { ...base.secureAggregation, enabled: secure }, privacy: { ...base.privacy, adaptiveClipping: { targetQuantile: 0.5, learningRate: 0.2, bitNoiseStd: 0 } } },
    });
    feds.push(fed);
    const records = [await fed.running.coordinator.runRound('readiness'), await fed.running.coordinator.runRound('injury')];
    return { fed, records };
  };

  it('with secure aggregation on, finds no plaintext statistic in any message, while evaluation still yields metrics and published quality', async () => {
    const { fed, records } = await run(true);
    for (const r of records) {
      expect(r.status, r.reason ?? '').toBe('completed');
      expect(r.secureAggregation).toBe(true);
      expect(r.metrics?.evalClients).toBe(5);
      expect(r.published?.quality?.athletes).toBe(5);
    }
    expect(records[0]!.metrics?.mae).toBeGreaterThan(0);
    expect(records[1]!.metrics?.positives).toBeGreaterThanOrEqual(0);
    expect(fed.running.coordinator.taskState('readiness').published?.standing?.athletes).toBe(5);
    let messages = 0;
    const kinds = new Set<string>();
    for (const [clientId, sent] of fed.sent) {
      const { messages: decoded, findings } = auditClientTraffic(sent);
      expect(findings, clientId).toEqual([]);
      messages += decoded.length;
      for (const m of decoded) kinds.add(m.type === 'secagg' ? String(m.payload.kind) : m.type);
    }
    // Two SecAgg instances per round (fit, then evaluation), each with a masked input from every client.
    expect(kinds).toContain('secagg/masked-input');
    expect(kinds).not.toContain('evaluateResult');
    expect(kinds).not.toContain('fitResult');
    expect(messages).toBeGreaterThanOrEqual(5 * 2 * 2 * 4);
  });

  it('catches plaintext statistics: a run without secure aggregation, and an old client evaluateResult or unmasked input', async () => {
    const { fed, records } = await run(false);
    expect(records.every((r) => r.status === 'completed')).toBe(true);
    const findings = [...fed.sent.values()].flatMap((sent) => auditClientTraffic(sent).findings);
    expect(findings).toContain('fitResult.numExamples');
    expect(findings).toContain('fitResult.trainLoss');
    expect(findings).toContain('evaluateResult.summary');
    expect(findings).toContain('evaluateResult.extras');
    // What a client sent before this change, under secure aggregation: its evaluation histogram in plaintext.
    const old = encodeEnvelope({ seq: 9, body: encodeMessage({ type: 'evaluateResult', roundId: 'injury-1-ab', numExamples: 3, sumLoss: 1, summary: { kind: 'binary', positives: new Array<number>(SCORE_BINS).fill(0), negatives: [3, ...new Array<number>(SCORE_BINS - 1).fill(0)] } }) });
    expect(auditClientTraffic([old]).findings).toEqual(['evaluateResult.numExamples', 'evaluateResult.sumLoss', 'evaluateResult.summary']);
    const plainVector = new Uint8Array(new Uint32Array([1, 366, 0, 0, 0, 4, 0, 0]).buffer);
    const unmasked = encodeEnvelope({ seq: 10, body: encodeMessage({ type: 'secagg', roundId: 'r-1', payload: { kind: 'secagg/masked-input', roundId: 'r-1', clientId: 'c', masked: plainVector } }) });
    expect(auditClientTraffic([unmasked]).findings).toEqual(['secagg/masked-input not masked']);
  });
});
