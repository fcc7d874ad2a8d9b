import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The server's setup finds (or starts) the database server; each test file creates its own database on it.
    globalSetup: ['../server/test/global-setup.ts'],
    pool: 'forks',
    // A real browser against a real server: builds, logins and page loads take a while on a small machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
