import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

function float64be(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, false);
  return b;
}
function float32(v: number, little: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, little);
  return b;
}
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const MARKERS = { sleepHours: 7.123457, hrvRmssdMs: 61.98765, srpeLoad: 437.7731, restingHrBpm: 49.3217 };

describe('serialized client traffic', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startTestFederation({ clients: 5, tasks: ['injury', 'readiness'], config: { clientsPerRound: 5, minClients: 5, overSelection: 1 } });
    // Plant distinctive values in every log so a leak of any raw value would be found byte for byte.
    for (const rows of fed.rowsByClient.values()) {
      for (const row of rows.slice(-60)) Object.assign(row, MARKERS);
    }
  });
  afterAll(async () => fed.close());

  it('never contains a raw log value', async () => {
    await fed.running.coordinator.runRound('readiness');
    await fed.running.coordinator.runRound('injury');
    const needles: [string, Uint8Array][] = [];
    for (const [name, v] of Object.entries(MARKERS)) {
      needles.push([`${name} float64`, float64be(v)], [`${name} float32le`, float32(v, true)], [`${name} float32be`, float32(v, false)], [`${name} text`, new TextEncoder().encode(String(v))]);
    }
    let messages = 0;
    for (const [clientId, sent] of fed.sent) {
      const rows = fed.rowsByClient.get(clientId)!;
      const ids = new TextEncoder().encode(rows[0]!.athleteId);
      const dates = rows.slice(-5).map((r) => new TextEncoder().encode(r.date));
      expect(sent.length).toBeGreaterThan(2);
      for (const bytes of sent) {
        messages++;
        for (const [what, needle] of needles) expect(contains(bytes, needle), `${clientId} sent ${what}`).toBe(false);
        expect(contains(bytes, ids), `${clientId} sent its athlete id`).toBe(false);
        for (const d of dates) expect(contains(bytes, d), `${clientId} sent a log date`).toBe(false);
      }
    }
    expect(messages).toBeGreaterThanOrEqual(5 * 5);
  });

  it('the check itself finds a planted value', () => {
    const leaked = new Uint8Array([1, 2, ...float64be(MARKERS.sleepHours), 3]);
    expect(contains(leaked, float64be(MARKERS.sleepHours))).toBe(true);
  });
});
