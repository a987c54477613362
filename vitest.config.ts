import { defineConfig } from 'vitest/config';

const workers = Number(process.env.HUDDLE_TEST_WORKERS);

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'client-sdk/test/**/*.test.ts', 'coordinator/test/**/*.test.ts', 'simulations/test/**/*.test.ts', 'web-client/test/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['scripts/vitestGlobalSetup.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default: one worker fewer than the cores (one on 2 cores). Two workers on 2 cores made
    // throughput-sensitive tests (socket rate limits, 120-round simulations) flaky on a loaded machine;
    // HUDDLE_TEST_WORKERS=N opts in to more.
    ...(Number.isInteger(workers) && workers > 0 ? { maxWorkers: workers } : {}),
    reporters: ['default'],
    // Node code silences tfjs at the source (tf.enableProdMode() in the coordinator and client-sdk/node);
    // unit tests that drive tfjs's CPU backend directly would otherwise print its "install our node backend" banner.
    onConsoleLog: (log) => (log.includes('install our node backend') ? false : undefined),
  },
});
