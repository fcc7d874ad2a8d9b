import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        // The fast tier: components rendered in jsdom, no server, no database, no build. Runs before the e2e files.
        test: {
          name: 'components',
          include: ['test/components/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          // Browser APIs Mantine and the router need that jsdom lacks (matchMedia, ResizeObserver, document.fonts, scrollTo…).
          setupFiles: ['test/components/setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: ['test/components/**', '**/node_modules/**'],
          // Builds the client once, then the server's setup finds (or starts) the database server; each test file creates
          // its own database on it and serves the client from its own app.
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
          // A real browser against a real server: logins and page loads take a while on a small machine.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // After the component tests, so Chromium has the machine to itself.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
