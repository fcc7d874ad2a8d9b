/**
 * `npm run backup [-- --out DIR] [--without-sessions]`: a consistent online dump of the app's database (the one
 * `npm start` uses), gzip-compressed as backups/hmis-<db>-YYYYMMDD-HHMMSSZ.sql.gz with its manifest beside it.
 * Prints the file, its size, every table's rows and the time taken. See ./backup.ts and docs/deploy.md.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../env';
import { backupDatabase } from './backup';
import { appDatabaseUrl, runCommand, UsageError, userPath } from './cli';
import { formatBytes, formatColumns, formatSeconds } from './manifest';

const USAGE = 'usage: npm run backup [-- --out DIR] [--without-sessions]';

runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, 'without-sessions': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}; ${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const result = await backupDatabase({
    url: await appDatabaseUrl(),
    outDir: values.out ? userPath(values.out) : path.join(REPO_ROOT, 'backups'),
    withoutSessions: values['without-sessions'],
  });
  const { manifest } = result;
  const paused =
    result.writesPausedMs === null ? '' : `; writes waited ${Math.round(result.writesPausedMs)} ms while the snapshots were lined up`;
  console.log(`${result.file}\n  ${formatBytes(manifest.bytes)} in ${formatSeconds(result.ms)}${paused}`);
  console.log(
    formatColumns([
      ['table', 'rows', 'checksum'],
      ...manifest.tables.map((t) => [t.name, t.rows.toLocaleString('en-US'), String(t.checksum ?? '—')]),
    ]),
  );
  if (manifest.withoutSessions) console.log('  sessions: structure only (everyone signs in again after a restore)');
  console.log(`  manifest: ${result.manifestFile}\n  ${manifest.note}`);
  console.log(
    manifest.binlog
      ? `  binary log at the snapshot: ${manifest.binlog.file} position ${manifest.binlog.position} (point-in-time recovery replays from there)`
      : '  binary logging is off on this server: this dump is the only recovery point (docs/deploy.md, point-in-time recovery)',
  );
  return 0;
});
