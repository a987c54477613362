import { describe, expect, it } from 'vitest';
import { DownBatcher } from '../src/cluster/downBatcher.ts';

// The leader's coalescing of one encoded frame for many sockets into one Redis frame per node.
describe('DownBatcher', () => {
  const harness = () => {
    const out: [string, string[], string][] = [];
    const batcher = new DownBatcher((node, sids, bytes) => out.push([node, sids, new TextDecoder().decode(bytes)]));
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

  it('keeps each socket\'s frames in order: other bytes, or the same socket again, start a new batch', async () => {
    const { out, batcher, frame } = harness();
    const first = frame('first');
    batcher.send('A', 'a1', first);
    batcher.send('A', 'a2', first);
    batcher.send('A', 'a1', frame('second'));
    batcher.send('A', 'a1', first);
    batcher.send('A', 'a1', first);
    await Promise.resolve();
    expect(out).toEqual([
      ['A', ['a1', 'a2'], 'first'],
      ['A', ['a1'], 'second'],
      ['A', ['a1'], 'first'],
      ['A', ['a1'], 'first'],
    ]);
  });

  it('flush sends what is pending at once (before a close for one of its sockets)', () => {
    const { out, batcher, frame } = harness();
    batcher.send('A', 'a1', frame('bye'));
    batcher.flush();
    expect(out).toEqual([['A', ['a1'], 'bye']]);
    batcher.flush();
    expect(out).toHaveLength(1);
  });
});
