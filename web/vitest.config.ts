import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the client once, then the server's setup finds (or starts) the database server; each test file creates
    // its own database on it and serves the client from its own app.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // One Chromium at a time: the machine has two cores.
    fileParallelism: false,
    // A real browser against a real server: logins and page loads take a while on a small machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
