import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'client-sdk/test/**/*.test.ts', 'coordinator/test/**/*.test.ts', 'simulations/test/**/*.test.ts', 'web-client/test/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['scripts/vitestGlobalSetup.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on 2 cores. Most slow files wait
    // on sockets, child processes and round deadlines rather than compute, so two run side by side.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default'],
  },
});
