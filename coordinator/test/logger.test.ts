import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/ops/logger.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  Object.assign(stream, { isTTY });
  return { stream, text: () => chunks.join('') };
}

describe('coordinator logs', () => {
  it('are one JSON object per line when not on a terminal (log collectors)', () => {
    const out = sink(false);
    createLogger({ destination: out.stream }).info({ task: 'injury', round: 3 }, 'round completed');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 30, task: 'injury', round: 3, msg: 'round completed' });
  });

  it('are human-readable lines on a terminal (pino-pretty)', () => {
    const out = sink(true);
    const logger = createLogger({ destination: out.stream, level: 'debug' });
    logger.warn({ task: 'readiness' }, 'round abandoned');
    logger.debug({}, 'details');
    const text = out.text().replace(/\x1b\[[0-9;]*m/g, '');
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
    expect(text).toMatch(/WARN.*round abandoned/);
    expect(text).toMatch(/task: "readiness"/);
    expect(text).toMatch(/DEBUG.*details/);
  });
});
