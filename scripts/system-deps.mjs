#!/usr/bin/env node
// The system packages the README's commands need (issue 12: "Set-up in the README's two commands"). `npm start` and
// `npm test` call this first. On Debian or Ubuntu, as root, what is missing is installed with apt-get (and said so);
// elsewhere, or without root, the one command to run is printed and the command stops — unless all that is missing has
// a stand-in (Chromium: the browser an npm package ships), which is then said and used.
//
//   node scripts/system-deps.mjs start|test|cluster
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

const BIN_DIRS = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
const onPath = (...names) =>
  names.some((name) =>
    BIN_DIRS.some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );

/** A database is configured: the private MariaDB (from the system's server binaries) is not needed. */
const databaseGiven = () => Boolean(process.env.DATABASE_URL || process.env.HMIS_DB_HOST);

/** What each command needs: the Debian package, why, whether it is there, and what is used if it cannot be installed. */
const NEEDS = {
  'mariadb-server': {
    why: 'the private database started when no DATABASE_URL is set',
    present: () => databaseGiven() || onPath('mariadbd', 'mysqld'),
  },
  chromium: {
    why: "the web client's end-to-end tests (a real browser)",
    present: () => Boolean(process.env.HMIS_CHROMIUM) || existsSync('/usr/bin/chromium'),
    instead: 'the end-to-end tests use the browser the @sparticuz/chromium npm package ships (web/test/browser-executable.ts)',
  },
  nginx: { why: 'the deployment test runs the shipped nginx site', present: () => onPath('nginx') },
  'docker-compose': { why: 'the deployment test validates docker/compose.yaml', present: () => onPath('docker-compose') },
  'galera-4': { why: 'the Galera cluster test', present: () => existsSync('/usr/lib/galera/libgalera_smm.so') },
  'mariadb-backup': { why: "the Galera cluster test's state transfer", present: () => onPath('mariabackup', 'mariadb-backup') },
};
const FOR = {
  start: ['mariadb-server'],
  test: ['mariadb-server', 'chromium', 'nginx', 'docker-compose'],
  cluster: ['mariadb-server', 'galera-4', 'mariadb-backup'],
};

/** Stops the command if a package without a stand-in is among `missing`; otherwise says what stands in for each. */
function stopUnlessReplaceable(missing) {
  if (missing.some((name) => !NEEDS[name].instead)) process.exit(1);
  for (const name of missing) console.error(`Without ${name}, ${NEEDS[name].instead}.`);
}

export function ensureSystemPackages(purpose) {
  const missing = (FOR[purpose] ?? []).filter((name) => !NEEDS[name].present());
  if (missing.length === 0) return;
  const list = missing.map((name) => `  ${name}: ${NEEDS[name].why}`).join('\n');
  const debian = existsSync('/etc/debian_version') && onPath('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!debian || !root) {
    const how = debian
      ? `sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`
      : `install ${missing.join(', ')} with your system's package manager`;
    console.error(`Missing system packages:\n${list}\nRun: ${how}`);
    stopUnlessReplaceable(missing);
    return;
  }
  console.log(`Installing system packages with apt-get:\n${list}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Those with a stand-in are installed apart, so that their failure (Ubuntu ships Chromium only as a snap) spares the rest.
  const groups = [missing.filter((name) => !NEEDS[name].instead), missing.filter((name) => NEEDS[name].instead)];
  const installs = groups.filter((group) => group.length).map((group) => ['install', '-y', '-qq', '--no-install-recommends', ...group]);
  for (const args of [['update', '-qq'], ...installs]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (run.status !== 0) {
      console.error(`apt-get ${args[0]} failed (exit ${run.status}); install by hand: apt-get install -y ${missing.join(' ')}`);
      break;
    }
  }
  const still = missing.filter((name) => !NEEDS[name].present());
  if (still.length) {
    console.error(`Still missing after apt-get: ${still.join(', ')}`);
    stopUnlessReplaceable(still);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemPackages(process.argv[2] ?? 'start');
