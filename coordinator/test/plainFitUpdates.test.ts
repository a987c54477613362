import { describe, expect, it } from 'vitest';
import { createStrategy } from '@huddle/shared/aggregation';
import { encodeWeights, type WeightEntry } from '@huddle/shared/modelCore';
import type { Connection } from '@huddle/shared/protocol';
import { CohortRunningSum } from '../src/cluster/cohortRunningSum.ts';
import type { ConnectedClient } from '../src/engine/clientRegistry.ts';
import { systemClock } from '../src/engine/clock.ts';
import { PlainFitWorkflow, type PlainFitOptions } from '../src/engine/workflows/plainFit.ts';

// The plain fit's updates arrive inside socket frames; a transport may reuse a frame's memory for the next message.
const manifest: WeightEntry[] = [
  { name: 'kernel', shape: [2, 2] },
  { name: 'bias', shape: [2] },
];
const updates: Record<string, { numExamples: number; update: number[] }> = {
  a: { numExamples: 1, update: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
  b: { numExamples: 3, update: [-0.2, 0, 0.2, 0, -0.2, 0] },
  c: { numExamples: 4, update: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05] },
};

function client(clientId: string): ConnectedClient {
  const conn: Connection = { id: `conn-${clientId}`, send: () => {}, close: () => {} };
  return { conn, clientId, tasks: [], allowedTasks: null, busyWith: null, models: {} };
}

/** Feeds every update through one frame buffer at `offset`, overwritten with garbage after each message. */
async function fitThroughOneFrame(strategy: PlainFitOptions['strategy'], offset: number) {
  const rejected: string[] = [];
  const workflow = new PlainFitWorkflow({
    roundId: 'r-1',
    target: 3,
    minClients: 3,
    clip: 10,
    manifest,
    strategy,
    onAccepted: () => {},
    selected: new Set(Object.keys(updates)),
    deadline: Date.now() + 5_000,
    clock: systemClock,
    io: { reject: (_conn, _code, message) => rejected.push(message) },
  });
  const done = workflow.run();
  const frame = Buffer.alloc(64 + offset);
  for (const [id, u] of Object.entries(updates)) {
    const bytes = encodeWeights(Float32Array.from(u.update));
    frame.set(bytes, offset);
    workflow.onFitResult(client(id), { type: 'fitResult', roundId: 'r-1', numExamples: u.numExamples, update: frame.subarray(offset, offset + bytes.length), trainLoss: 0.5, clipBit: null });
    frame.fill(0x7f); // 0x7f7f7f7f: a large finite float, nothing like any update
  }
  const result = await done;
  expect(rejected).toEqual([]);
  expect(result.ok).toBe(true);
  if (!result.ok) throw new Error(result.reason);
  return result.fit;
}

/** The example-weighted mean, in float64 then rounded to float32 as the strategies do. */
function expectedMean(): number[] {
  const total = Object.values(updates).reduce((s, u) => s + u.numExamples, 0);
  return Array.from(Float32Array.from({ length: 6 }, (_, i) => Object.values(updates).reduce((s, u) => s + (u.numExamples / total) * Math.fround(u.update[i]!), 0)));
}

describe('the plain fit, its updates received in reused frame memory', () => {
  it('keeps an owned copy of each update until the strategy reduces them at the round\'s end', async () => {
    for (const offset of [0, 8, 3]) {
      const fit = await fitThroughOneFrame(createStrategy({ name: 'fedavg' }), offset);
      expect(fit.weight).toBe(1);
      expect(Array.from(fit.sum)).toEqual(expectedMean());
      expect(fit.stats).toMatchObject({ reporters: 3, numExamples: 8 });
    }
  });

  it('adds each update into a cohort\'s running sum as it arrives (a view over the frame suffices)', async () => {
    for (const offset of [0, 8, 3]) {
      const fit = await fitThroughOneFrame({ running: new CohortRunningSum('examples') }, offset);
      expect(fit.weight).toBe(8);
      const mean = Array.from(fit.sum, (v) => v / fit.weight);
      expectedMean().forEach((m, i) => expect(mean[i]).toBeCloseTo(m, 6));
    }
  });
});
