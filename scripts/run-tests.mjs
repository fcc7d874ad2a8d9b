#!/usr/bin/env node
// `npm test`: runs every workspace's vitest suite through turbo, then prints one line with the totals of all
// suites ("N passed, N failed") and exits non-zero if anything failed. With HMIS_TEST_CLUSTER=1 (CI) it then runs the
// Galera cluster test (server/test/cluster) too, in the same totals; `--cluster` (npm run test:cluster) runs only that.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureSystemPackages } from './system-deps.mjs';

const clusterOnly = process.argv.includes('--cluster');
const withCluster = clusterOnly || process.env.HMIS_TEST_CLUSTER === '1';

// What the suites need from the system (a database server, a browser, nginx…; Galera): installed first on Debian as root.
if (!clusterOnly) ensureSystemPackages('test');
if (withCluster) ensureSystemPackages('cluster');

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const workspaces = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces;
const reports = [
  ...(clusterOnly ? [] : workspaces.map((w) => path.join(root, w, 'test-results', 'vitest.json'))),
  ...(withCluster ? [path.join(root, 'server', 'test-results', 'vitest-cluster.json')] : []),
];
for (const r of reports) rmSync(r, { force: true });

const runs = [];
if (!clusterOnly) {
  const args = process.argv.slice(2).filter((a) => a !== '--cluster');
  runs.push(
    spawnSync('npx', ['turbo', 'run', 'test', '--concurrency=1', '--log-order=grouped', '--continue', ...args], {
      cwd: root,
      stdio: 'inherit',
    }),
  );
}
if (withCluster) runs.push(spawnSync('npm', ['run', '-s', 'test:cluster', '-w', '@hmis/server'], { cwd: root, stdio: 'inherit' }));

let passed = 0;
let failed = 0;
for (const r of reports) {
  if (!existsSync(r)) continue;
  const report = JSON.parse(readFileSync(r, 'utf8'));
  passed += report.numPassedTests ?? 0;
  // A test that did not run (its suite's setup failed, or it was skipped) is not a pass: it counts as failed.
  failed += (report.numFailedTests ?? 0) + (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load has no tests but counts as a failure.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  }
}
const ok = runs.every((run) => run.status === 0) && failed === 0;
if (!ok && failed === 0) failed = 1; // a run failed without a report (e.g. a crash): never print a clean total
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
