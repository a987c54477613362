import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection, ServerTransportHandler } from '@huddle/shared/protocol';
import type { ClusterBus, ControlEvent, DownEvent, UpEvent } from '../src/cluster/clusterBus.ts';
import { ClusterServerTransport } from '../src/cluster/clusterServerTransport.ts';

// The leader's reconciliation rules in isolation: what it does when announcements were lost
// (the Redis-restart test in tests/cluster exercises the same rules on a real Redis).
function harness(joined: (sid: string) => boolean = () => false) {
  let deliver: (e: UpEvent) => void = () => {};
  const control: ControlEvent[] = [];
  const sent: string[] = [];
  const closed: string[] = [];
  const bus = {
    publishDown: (_node: string, e: DownEvent) => (e.kind === 'send' ? sent.push(e.sid) : e.kind === 'close' ? closed.push(e.sid) : 0),
    onUp: (h: (e: UpEvent) => void) => {
      deliver = h;
      return () => {};
    },
    publishControl: (e: ControlEvent) => control.push(e),
  } as unknown as ClusterBus;
  const opened: string[] = [];
  const left: [string, string][] = [];
  const conns = new Map<string, Connection>();
  const handler: ServerTransportHandler = {
    onConnection: (c) => {
      opened.push(c.id);
      conns.set(c.id, c);
    },
    onMessage: () => {},
    onForeign: () => {},
    onDisconnect: (c, reason) => left.push([c.id, reason]),
  };
  const transport = new ClusterServerTransport(bus, 'node-1', 1, joined, 1_000, 2);
  return { transport, handler, up: (e: UpEvent) => deliver(e), control, opened, left, closed, conns };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the leader reconciles its view of the sockets with each node roster', () => {
  it('opens a socket it never heard of and forgets one its node no longer holds', async () => {
    const h = harness(() => true);
    await h.transport.listen(h.handler);
    expect(h.control).toEqual([{ kind: 'resync', leader: 'node-1', term: 1 }]);
    h.up({ kind: 'connect', node: 'n2', sid: 'a' });
    h.up({ kind: 'connect', node: 'n3', sid: 'c' });
    h.up({ kind: 'roster', node: 'n2', sids: ['a', 'b'] });
    expect(h.opened).toEqual(['a', 'c', 'b']);
    h.up({ kind: 'roster', node: 'n2', sids: ['b'] });
    expect(h.left).toEqual([['a', 'missing from its node roster']]);
    expect(h.transport.connectionCount).toBe(2);
  });

  it('challenges a socket again when no hello arrives, then closes it after the last attempt', async () => {
    vi.useFakeTimers();
    const h = harness(() => false);
    await h.transport.listen(h.handler);
    h.up({ kind: 'connect', node: 'n2', sid: 'a' });
    vi.advanceTimersByTime(1_000);
    expect(h.opened).toEqual(['a', 'a']);
    expect(h.left).toEqual([['a', 'challenged again: no hello yet']]);
    vi.advanceTimersByTime(1_000);
    expect(h.left.at(-1)).toEqual(['a', 'no hello after repeated challenges']);
    expect(h.closed).toEqual(['a']);
    expect(h.transport.connectionCount).toBe(0);
  });

  it('leaves a joined socket alone, and lets the roster bring back one whose close was lost', async () => {
    vi.useFakeTimers();
    const joined = new Set<string>(['a']);
    const h = harness((sid) => joined.has(sid));
    await h.transport.listen(h.handler);
    h.up({ kind: 'connect', node: 'n2', sid: 'a' });
    vi.advanceTimersByTime(5_000);
    expect(h.opened).toEqual(['a']);
    h.conns.get('a')!.close('unauthorized');
    expect(h.left).toEqual([['a', 'closed by the coordinator']]);
    h.up({ kind: 'roster', node: 'n2', sids: ['a'] });
    expect(h.opened).toEqual(['a', 'a']);
  });

  it('skips a roster stamped as the last one it reconciled, unless its own view of that node changed since', async () => {
    const h = harness(() => true);
    await h.transport.listen(h.handler);
    h.up({ kind: 'roster', node: 'n2', sids: ['a', 'b'], stamp: 'e:2' });
    expect(h.opened).toEqual(['a', 'b']);
    // The same stamp: the node's sockets did not change, so neither does anything here (a lost 'disconnect' of b
    // would have changed the stamp).
    h.up({ kind: 'roster', node: 'n2', sids: ['a'], stamp: 'e:2' });
    expect(h.left).toEqual([]);
    h.up({ kind: 'roster', node: 'n2', sids: ['a'], stamp: 'e:3' });
    expect(h.left).toEqual([['b', 'missing from its node roster']]);
    // The leader closed a, and the node's disconnect was lost: the same stamp again brings a back.
    h.conns.get('a')!.close('unauthorized');
    h.up({ kind: 'roster', node: 'n2', sids: ['a'], stamp: 'e:3' });
    expect(h.opened).toEqual(['a', 'b', 'a']);
    // Another node's roster is reconciled on its own stamp.
    h.up({ kind: 'roster', node: 'n3', sids: ['c'], stamp: 'e:3' });
    expect(h.opened).toEqual(['a', 'b', 'a', 'c']);
  });
});
