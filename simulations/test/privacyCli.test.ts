import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { computeEpsilon, findNoiseMultiplier } from '@huddle/shared/privacy';
import { main } from '../src/cli/privacy.ts';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

const setting = ['--sampling-rate', '0.01', '--rounds', '1000', '--delta', '1e-5'];
const expected = computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 0.01, rounds: 1000, delta: 1e-5 });

describe('privacy epsilon', () => {
  it('prints exactly one JSON object with --json', async () => {
    const { code, stdout, stderr } = await run(['epsilon', '--noise-multiplier', '1.1', ...setting, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({ epsilon: expected.epsilon, order: expected.order, conversion: 'balle2020' });
  });

  it('prints a sentence with the epsilon, the order and the conversion', async () => {
    const { code, stdout } = await run(['epsilon', '--noise-multiplier', '1.1', ...setting, '--conversion', 'mironov2017']);
    const classic = computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 0.01, rounds: 1000, delta: 1e-5, conversion: 'mironov2017' });
    expect(code).toBe(0);
    expect(stdout).toContain(`epsilon = ${classic.epsilon.toPrecision(6)}`);
    expect(stdout).toContain(`order ${classic.order}`);
    expect(stdout).toContain('mironov2017');
  });

  it('ignores the literal -- that pnpm passes through', async () => {
    const { code, stdout } = await run(['--', 'epsilon', '--', '--noise-multiplier', '1.1', ...setting, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).epsilon).toBe(expected.epsilon);
  });

  it.each([
    [['--noise-multiplier', '0', ...setting], /noise-multiplier.*> 0/],
    [['--noise-multiplier', 'abc', ...setting], /noise-multiplier.*finite number/],
    [['--noise-multiplier', '1', '--sampling-rate', '0', '--rounds', '10', '--delta', '1e-5'], /sampling-rate.*\(0, 1\]/],
    [['--noise-multiplier', '1', '--sampling-rate', '1.5', '--rounds', '10', '--delta', '1e-5'], /sampling-rate/],
    [['--noise-multiplier', '1', '--sampling-rate', '0.1', '--rounds', '2.5', '--delta', '1e-5'], /rounds.*positive integer/],
    [['--noise-multiplier', '1', '--sampling-rate', '0.1', '--rounds', '0', '--delta', '1e-5'], /rounds/],
    [['--noise-multiplier', '1', '--sampling-rate', '0.1', '--rounds', '10', '--delta', '1'], /delta.*\(0, 1\)/],
    [['--noise-multiplier', '1', '--sampling-rate', '0.1', '--rounds', '10'], /--delta.*not specified/],
    [['--noise-multiplier', '1', ...setting, '--conversion', 'exact'], /conversion/],
  ])('exits 2 with a message for bad usage %#', async (options, message) => {
    const { code, stdout, stderr } = await run(['epsilon', ...options]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 1 rather than print a non-number when epsilon is unbounded', async () => {
    const { code, stdout, stderr } = await run(['epsilon', '--noise-multiplier', '1e-200', ...setting, '--json']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unbounded/);
  });

  it('exits 2 for an unknown or missing subcommand', async () => {
    expect((await run(['bogus'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('exits 0 for --help', async () => {
    const { code, stdout } = await run(['epsilon', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--noise-multiplier');
  });
});

describe('privacy noise', () => {
  it('prints the smallest noise multiplier as JSON', async () => {
    const { code, stdout } = await run(['noise', '--target-epsilon', '2', ...setting, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(findNoiseMultiplier({ targetEpsilon: 2, samplingRate: 0.01, rounds: 1000, delta: 1e-5 }));
  });

  it('prints a sentence without --json', async () => {
    const { code, stdout } = await run(['noise', '--target-epsilon', '2', ...setting]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^noise multiplier = 1\.022\d+ \(epsilon = .* <= target 2/);
  });

  it('exits 1 with an explanation when the target is unreachable', async () => {
    const { code, stdout, stderr } = await run(['noise', '--target-epsilon', '0.001', '--sampling-rate', '1', '--rounds', '10', '--delta', '1e-5', '--conversion', 'mironov2017']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unreachable/);
  });

  it('exits 2 for a non-positive target', async () => {
    expect((await run(['noise', '--target-epsilon', '-1', ...setting])).code).toBe(2);
  });
});

describe('privacy CLI as a process', () => {
  it('runs as `npm run privacy -- ...` runs it (scripts/run.mjs, the built bundle) and prints JSON', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['scripts/run.mjs', 'privacy', '--', 'epsilon', '--noise-multiplier', '1.1', ...setting, '--json'],
      { cwd: root, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ epsilon: expected.epsilon, order: expected.order, conversion: 'balle2020' });
  });
});
