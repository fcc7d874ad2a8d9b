/**
 * Builds the client once for the whole run (the server serves web/dist only if it finds it at start), says which
 * browser the tests drive (extracting the npm-shipped one if that is the one), then hands over to the server's setup,
 * which finds or starts the database server.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import serverSetup from '../../server/test/global-setup';
import { browserExecutable } from './browser-executable';

export default async function setup(project: TestProject) {
  const webDir = path.resolve(import.meta.dirname, '..');
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  // A production build, as `npm start` serves: vitest sets NODE_ENV=test, which would give React's development build.
  const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) throw new Error(`vite build failed:\n${res.stdout}\n${res.stderr}`);
  const browser = await browserExecutable();
  console.log(`End-to-end tests drive ${browser.label}: ${browser.path}`);
  return serverSetup(project);
}
