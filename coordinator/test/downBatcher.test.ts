import { describe, expect, it } from 'vitest';
import { DownBatcher, MAX_EACH_FRAMES, type DownBatch } from '../src/cluster/downBatcher.ts';

type Seen = [string, string[], string] | [string, 'each', [string, string][]];

// The leader's coalescing of its frames for other nodes' sockets into few Redis frames per node.
describe('DownBatcher', () => {
  const harness = () => {
    const out: Seen[] = [];
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    const batcher = new DownBatcher((node, b: DownBatch) => out.push(b.kind === 'many' ? [node, b.sids, text(b.bytes)] : [node, 'each', b.frames.map((f) => [f.sid, text(f.bytes)])]));
    return { out, batcher, frame: (s: string) => new TextEncoder().encode(s) };
  };

  it('sends one frame per node for the same bytes sent to many sockets, at the end of the task', async () => {
    const { out, batcher, frame } = harness();
    const model = frame('model');
    for (const [node, sid] of [['A', 'a1'], ['B', 'b1'], ['A', 'a2'], ['B', 'b2'], ['A', 'a3']] as const) batcher.send(node, sid, model);
    expect(out).toEqual([]);
    await Promise.resolve();
    expect(out).toEqual([
      ['A', ['a1', 'a2', 'a3'], 'model'],
      ['B', ['b1', 'b2'], 'model'],
    ]);
  });

  it('carries frames that differ per socket (a roundEnd each) together, one Redis frame per node, in order', async () => {
    const { out, batcher, frame } = harness();
    for (const [node, sid] of [['A', 'a1'], ['B', 'b1'], ['A', 'a2'], ['A', 'a3']] as const) batcher.send(node, sid, frame(`end ${sid}`));
    await Promise.resolve();
    expect(out).toEqual([
      ['A', 'each', [['a1', 'end a1'], ['a2', 'end a2'], ['a3', 'end a3']]],
      ['B', 'each', [['b1', 'end b1']]],
    ]);
  });

  it("keeps each socket's frames in order: other bytes, or the same socket again, start a new run", async () => {
    const { out, batcher, frame } = harness();
    const first = frame('first');
    batcher.send('A', 'a1', first);
    batcher.send('A', 'a2', first);
    batcher.send('A', 'a1', frame('second'));
    batcher.send('A', 'a1', first);
    batcher.send('A', 'a1', first);
    batcher.send('A', 'a2', frame('third'));
    batcher.send('A', 'a3', frame('third'));
    await Promise.resolve();
    expect(out).toEqual([
      ['A', ['a1', 'a2'], 'first'],
      ['A', 'each', [['a1', 'second'], ['a1', 'first'], ['a1', 'first'], ['a2', 'third'], ['a3', 'third']]],
    ]);
  });

  it(`sends at once when a node's pending frames reach ${MAX_EACH_FRAMES}, and the rest at the end of the task`, async () => {
    const { out, batcher, frame } = harness();
    for (let i = 0; i < MAX_EACH_FRAMES + 2; i++) batcher.send('A', `a${i}`, frame(`f${i}`));
    expect(out).toHaveLength(1);
    expect((out[0]![2] as [string, string][]).length).toBe(MAX_EACH_FRAMES);
    await Promise.resolve();
    expect(out).toHaveLength(2);
    expect(out[1]).toEqual(['A', 'each', [[`a${MAX_EACH_FRAMES}`, `f${MAX_EACH_FRAMES}`], [`a${MAX_EACH_FRAMES + 1}`, `f${MAX_EACH_FRAMES + 1}`]]]);
  });

  it('flush sends what is pending at once (before a close for one of its sockets)', () => {
    const { out, batcher, frame } = harness();
    batcher.send('A', 'a1', frame('bye'));
    batcher.flush();
    expect(out).toEqual([['A', 'each', [['a1', 'bye']]]]);
    batcher.flush();
    expect(out).toHaveLength(1);
  });
});
