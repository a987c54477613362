import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dailyLogTemplateCsv } from '@huddle/shared/log';
import { main } from '../src/cli/synth.ts';

const dir = mkdtempSync(join(tmpdir(), 'huddle-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synth --template', () => {
  it('writes the shared template to --out and names the file it wrote', () => {
    const out = join(dir, 'log.csv');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--template', '--example', '--out', out])).toBe(0);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(out);
    } finally {
      stderr.mockRestore();
    }
    expect(readFileSync(out, 'utf8')).toBe(dailyLogTemplateCsv({ example: true }));
  });

  it('writes the header-only template to stdout without --out', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(main(['--template'])).toBe(0);
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toBe(dailyLogTemplateCsv());
    } finally {
      stdout.mockRestore();
    }
  });

  it('refuses --example without --template, and synthetic data without --out (exit 2)', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--example'])).toBe(2);
      expect(main(['--athletes', '2'])).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--example goes with --template[\s\S]*--out <file>' not specified/);
    } finally {
      stderr.mockRestore();
    }
  });
});
