import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseOptions, USAGE_ERROR } from '../src/cli/args.ts';

const program = () =>
  new Command('x')
    .option('--n <n>', 'a number', (v) => Number.parseInt(v, 10), 1)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });

describe('parseOptions, shared by the benchmarks and CLIs', () => {
  it('parses, dropping the literal -- that pnpm passes through', () => {
    const p = program();
    expect(parseOptions(p, ['--', '--n', '7'])).toBeNull();
    expect(p.opts()).toEqual({ n: 7 });
  });

  it('answers 0 after --help and a usage error after an unknown option', () => {
    expect(parseOptions(program(), ['--help'])).toBe(0);
    expect(parseOptions(program(), ['--bogus'])).toBe(USAGE_ERROR);
  });
});
