/**
 * `npm run test:cluster`: the Galera cluster test (issue 12), on its own because it starts three database nodes of its
 * own (no private instance: no global setup) and takes a minute or two; `npm test` leaves it out unless
 * HMIS_TEST_CLUSTER=1 (scripts/run-tests.mjs; CI sets it). Otherwise the server's settings.
 */
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  test: {
    ...base.test,
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/cluster/**/*.test.ts'],
    exclude: [],
    globalSetup: [],
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    outputFile: { json: 'test-results/vitest-cluster.json' },
  },
});
