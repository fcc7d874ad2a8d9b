/**
 * Finding the database server's binaries on this machine (MariaDB preferred, else MySQL), and the error when there
 * are none.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import { searchPath } from '../../env';

export class NoDatabaseError extends Error {
  constructor(
    message = 'No database: set DATABASE_URL=mysql://user:password@host:3306/hmis, or install a MariaDB/MySQL server (Debian: apt-get install mariadb-server)',
  ) {
    super(message);
    this.name = 'NoDatabaseError';
  }
}

export type ServerKind = 'mariadb' | 'mysql';

export interface ServerBinaries {
  kind: ServerKind;
  server: string;
  installDb?: string;
}

const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/mysql/bin'];

// ---------------------------------------------------------------------------
// Binary discovery
// ---------------------------------------------------------------------------

function searchDirs(): string[] {
  const fromPath = searchPath()
    .split(path.delimiter)
    .filter((d) => d !== '');
  return [...new Set([...fromPath, ...EXTRA_BIN_DIRS])];
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findExecutable(names: readonly string[], dirs: readonly string[]): string | undefined {
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Debian (and others) ship `mysqld` as a symlink to `mariadbd`; only `--version` tells them apart. */
function isMariaDbBinary(server: string): boolean {
  try {
    const out = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return /mariadb/i.test(out);
  } catch {
    return false;
  }
}

export function findServerBinaries(): ServerBinaries | null {
  const dirs = searchDirs();
  const mariadbd = findExecutable(['mariadbd'], dirs);
  const mysqld = mariadbd ?? findExecutable(['mysqld'], dirs);
  if (mysqld === undefined) return null;

  const kind: ServerKind = mariadbd !== undefined || isMariaDbBinary(mysqld) ? 'mariadb' : 'mysql';
  if (kind === 'mysql') {
    // MySQL 8 initialises with `mysqld --initialize-insecure`; its old
    // mysql_install_db (if any) must not be used.
    return { kind, server: mysqld };
  }
  // Prefer the install script that belongs to the same installation as the server.
  const serverDir = path.dirname(mysqld);
  const ownDirs = [serverDir, path.join(serverDir, '..', 'bin'), path.join(serverDir, '..', 'scripts')];
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db'], [...new Set([...ownDirs, ...dirs])]);
  return installDb === undefined ? { kind, server: mysqld } : { kind, server: mysqld, installDb };
}
