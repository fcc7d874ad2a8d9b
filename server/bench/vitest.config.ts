import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The server's test set-up: one database server for the run (DATABASE_URL's or the private instance).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // beforeAll seeds the test's database (seconds here; more on a loaded machine).
    hookTimeout: 120_000,
    // npm test adds up every workspace's test-results/vitest.json (scripts/run-tests.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
