/**
 * `npm run restore -- FILE [--force]`: a backup of `npm run backup` into the app's database (the one `npm start`
 * uses), which must have no tables unless --force (its tables are then dropped first). Prints every table's rows and
 * checksum beside the manifest's; exit 1 when they do not agree. See ./restore.ts and docs/deploy.md.
 */
import { parseArgs } from 'node:util';
import { appDatabaseUrl, runCommand, UsageError, userPath } from './cli';
import { formatColumns, formatSeconds } from './manifest';
import { restoreDatabase } from './restore';

const USAGE = 'usage: npm run restore -- FILE [--force]   (FILE: backups/hmis-<db>-….sql.gz, its manifest beside it)';

runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}; ${USAGE}`);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) throw new UsageError(USAGE);
  const result = await restoreDatabase({
    url: await appDatabaseUrl(),
    file: userPath(file),
    force: parsed.values.force,
    log: (line) => console.log(line),
  });
  const figure = (n: number | null) => (n === null ? 'missing' : n.toLocaleString('en-US'));
  console.log(
    formatColumns([
      ['table', 'rows', 'manifest', 'checksum', 'manifest', ''],
      ...result.tables.map((t) => [
        t.name,
        figure(t.rows),
        figure(t.expectedRows),
        String(t.checksum ?? '—'),
        String(t.expectedChecksum ?? '—'),
        t.ok ? 'ok' : 'DIFFERS',
      ]),
    ]),
  );
  const { manifest } = result;
  if (!result.ok) {
    console.error(
      `restored into ${result.database} in ${formatSeconds(result.ms)}, but it does not match the manifest: ${result.tables
        .filter((t) => !t.ok)
        .map((t) => t.name)
        .join(', ')}`,
    );
    return 1;
  }
  const compared = manifest.sameSnapshot ? 'row counts and checksums identical to the manifest' : `not compared exactly: ${manifest.note}`;
  console.log(`restored into ${result.database} in ${formatSeconds(result.ms)}: ${result.tables.length} tables, ${compared}`);
  if (manifest.binlog)
    console.log(`point-in-time recovery: replay binary logs from ${manifest.binlog.file} position ${manifest.binlog.position}`);
  return 0;
});
