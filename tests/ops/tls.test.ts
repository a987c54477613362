import { spawnSync } from 'node:child_process';
import { request } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCoordinator } from '@huddle/coordinator';

function getJson(url: string, ca: Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, servername: 'localhost' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('TLS', () => {
  it('serves over https with the certificate it is given, and refuses plain http', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huddle-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const running = await startCoordinator({ port: 0, dataDir: join(dir, 'data'), tls: { certPath: cert, keyPath: key } });
    try {
      expect(running.url).toMatch(/^https:\/\//);
      const res = await getJson(`${running.url}/health`, readFileSync(cert));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok' });
      await expect(fetch(running.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
