import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { RawClient } from '../helpers/rawClient.ts';
import { protocolFrames } from '@huddle/shared/protocol';

const PUBLIC = 'https://huddle.example.org';

/** Socket handshakes from browsers of other sites, and sockets that never join. */
describe('socket.io origins and hello timeout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-sock-'));
  let running: RunningCoordinator;
  const sockets: Socket[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    running = await startCoordinator({ port: 0, dataDir: dir, tasks: ['readiness'], publicUrl: PUBLIC, helloTimeoutMs: 400 });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    raws.forEach((r) => r.close());
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function open(origin: string | null, transport: 'websocket' | 'polling'): Promise<{ socket: Socket; error: Error | null }> {
    const socket = io(running.url, { transports: [transport], reconnection: false, parser: protocolFrames, ...(origin ? { extraHeaders: { origin } } : {}) });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket, error: null }));
      socket.once('connect_error', (error) => resolve({ socket, error }));
    });
  }

  it('refuses a foreign Origin over WebSocket and polling; admits the public URL, the same origin and non-browser clients', async () => {
    for (const transport of ['websocket', 'polling'] as const) {
      expect((await open('https://evil.example', transport)).error, transport).not.toBeNull();
      expect((await open(PUBLIC, transport)).error, transport).toBeNull();
      expect((await open(running.url, transport)).error, transport).toBeNull();
      expect((await open(null, transport)).error, transport).toBeNull();
    }
  });

  it('grants no CORS header to a foreign Origin', async () => {
    const handshake = (origin: string) => fetch(`${running.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const evil = await handshake('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${running.url}/socket.io/?EIO=4&transport=polling`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const ours = await handshake(PUBLIC);
    expect(ours.status).toBe(200);
    expect(ours.headers.get('access-control-allow-origin')).toBe(PUBLIC);
  });

  it('closes a socket that never says hello, and keeps one that joined', async () => {
    const silent = await open(null, 'websocket');
    const reason = await new Promise<string>((resolve) => silent.socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    const joined = new RawClient(running.url);
    raws.push(joined);
    await joined.hello('athlete-1', ['readiness']);
    await new Promise((r) => setTimeout(r, 800));
    expect(joined.socket.connected).toBe(true);
    expect(running.coordinator.registry.byId('athlete-1')).toBeDefined();
  });
});
