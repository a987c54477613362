import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHOICE_RULES, DAILY_LOG_COLUMNS, dailyLogTemplateCsv, NUMERIC_RULES, REQUIRED_COLUMNS, TEXT_RULES } from '@huddle/shared/log';
import { repoRoot } from '../helpers/spawnCoordinator.ts';

const doc = readFileSync(join(repoRoot, 'docs', 'data-format.md'), 'utf8');
/** The column table: `| \`name\` | type | unit | accepted values | header | empty cell |`. */
const table = new Map(
  doc
    .split('\n')
    .map((line) => /^\| `([a-z_]+)` \|(.*)\|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!.split('|').map((cell) => cell.trim())]),
);

describe('docs/data-format.md', () => {
  it('lists every column, in order, and only those', () => {
    expect([...table.keys()]).toEqual([...DAILY_LOG_COLUMNS]);
  });

  it('says which columns the header needs, as the reader decides', () => {
    for (const column of DAILY_LOG_COLUMNS) expect(table.get(column)?.[3], column).toBe(REQUIRED_COLUMNS.includes(column) ? 'required' : 'optional');
  });

  it('gives each numeric column the reader range and whether decimals are allowed', () => {
    for (const [column, rule] of Object.entries(NUMERIC_RULES)) {
      const accepted = table.get(column)?.[2] ?? '';
      const range = rule.min === 0 && rule.max === 1 && rule.integer ? '0 or 1' : `${rule.min}-${rule.max}`;
      expect(accepted, column).toContain(range);
      expect(table.get(column)?.[0], column).toBe(rule.integer ? 'whole number' : 'number');
    }
  });

  it('gives each text column its length limit', () => {
    for (const [column, rule] of Object.entries(TEXT_RULES)) expect(table.get(column)?.[2], column).toMatch(new RegExp(`\\b${rule.maxLength} characters`));
  });

  it('lists every accepted word of each choice column, and only those', () => {
    for (const [column, values] of Object.entries(CHOICE_RULES)) {
      expect(table.get(column)?.[0], column).toBe('choice');
      expect(table.get(column)?.[2], column).toBe(`one of: ${values.join(', ')}`);
    }
  });

  it('shows the example template exactly as synth --template --example writes it', () => {
    expect(doc).toContain(`\`\`\`csv\n${dailyLogTemplateCsv({ example: true })}\`\`\``);
  });
});
