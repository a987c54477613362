import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | null = null;

/** Chart.js's UMD build (MIT licence header kept): the one chart library of the app, the console and the simulator's reports. */
export function chartJsUmd(): string {
  cached ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return cached;
}
