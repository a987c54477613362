import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'client-sdk/test/**/*.test.ts', 'coordinator/test/**/*.test.ts', 'simulations/test/**/*.test.ts', 'web-client/test/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    // Node code silences tfjs at the source (tf.enableProdMode() in the coordinator and client-sdk/node);
    // unit tests that drive tfjs's CPU backend directly would otherwise print its "install our node backend" banner.
    onConsoleLog: (log) => (log.includes('install our node backend') ? false : undefined),
  },
});
