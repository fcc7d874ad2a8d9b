/**
 * `npm run console` / `hmis`: the HMIS console. Interactive with a prompt, tab completion and history; or scripted:
 * `hmis < script.txt`, `hmis -c "show Patient 3"`. In a script the first error stops it with a non-zero status.
 *
 *   --user <username>   operator (or HMIS_CONSOLE_USER); password from HMIS_CONSOLE_PASSWORD or asked without echo
 *   --json              machine-readable output
 *   -c "<commands>"     run these commands (separated by newlines or ';') and save if all succeed
 */
import { appendFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { systemClock } from '../clock';
import { connect, createDatabaseIfMissing } from '../db/client';
import { NoDatabaseError } from '../db/local-instance';
import { resolveDatabaseUrl } from '../db/resolve';
import { readEnv } from '../env';
import { toAppError } from '../errors';
import { CLASS_NAMES } from './classes';
import { COMMANDS, Interpreter, type Io } from './interpreter';

interface Options {
  user?: string;
  json: boolean;
  commands?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--user' || a === '-u') opts.user = argv[++i];
    else if (a === '-c') opts.commands = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: hmis [--user <username>] [--json] [-c "<commands>"] [< script]');
      process.exit(0);
    } else {
      console.error(`** Unknown option ${a} (hmis --help) **`);
      process.exit(2);
    }
  }
  return opts;
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const input = process.stdin;
    process.stdout.write(prompt);
    input.setRawMode(true);
    input.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

function completer(line: string): [string[], string] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const pool = words.length <= 1 ? [...Object.keys(COMMANDS), ...CLASS_NAMES.map((c) => `${c}.`)] : CLASS_NAMES;
  const hits = pool.filter((c) => c.startsWith(last));
  return [hits.length ? hits : pool, last];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const env = readEnv();
  const interactive = !opts.commands && process.stdin.isTTY === true;
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  await createDatabaseIfMissing(url);
  const database = connect(url, { connectionLimit: 4 });

  let passwordsFromEnv = [env.HMIS_NEW_PASSWORD, env.HMIS_NEW_PASSWORD];
  const io: Io = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    secret: async (prompt) => {
      if (prompt.startsWith('Password for')) {
        if (env.HMIS_CONSOLE_PASSWORD) return env.HMIS_CONSOLE_PASSWORD;
        return interactive ? askHidden(prompt) : null;
      }
      if (interactive) return askHidden(prompt);
      const next = passwordsFromEnv.shift();
      if (passwordsFromEnv.length === 0) passwordsFromEnv = [env.HMIS_NEW_PASSWORD, env.HMIS_NEW_PASSWORD];
      return next ?? null;
    },
  };
  const console_ = new Interpreter(database.db, systemClock, io, opts.json);

  let failed = false;
  const finish = async (code: number) => {
    await console_.logout().catch(() => undefined);
    await database.close();
    process.exit(code);
  };

  const user = opts.user ?? env.HMIS_CONSOLE_USER;
  if (user && !(await console_.run(`login ${user}`))) {
    if (!interactive) await finish(1);
  }

  if (opts.commands !== undefined) {
    for (const line of opts.commands.split(/\n|;(?=(?:[^"']*["'][^"']*["'])*[^"']*$)/)) {
      if (!(await console_.run(line))) {
        failed = true;
        break;
      }
    }
    if (failed) await console_.discard();
    else if (console_.unsaved) await console_.save();
    return finish(failed ? 1 : 0);
  }

  const historyFile = env.HMIS_CONSOLE_HISTORY ?? path.join(os.homedir(), '.hmis_history');
  let history: string[] = [];
  if (interactive) {
    try {
      history = readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000);
    } catch {
      // no history yet
    }
  }
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
    prompt: '(hmis) ',
    ...(interactive ? { completer, history, historySize: 1000 } : {}),
  });

  const ask = (question: string) => new Promise<string>((resolve) => rl.question(question, resolve));
  const quit = async (): Promise<boolean> => {
    if (!console_.unsaved) return true;
    if (!interactive) {
      console.error('** Unsaved changes discarded: end the script with save **');
      await console_.discard();
      failed = true;
      return true;
    }
    const answer = (await ask('You have unsaved changes. Save them? [y]es / [n]o / [c]ancel: ')).trim().toLowerCase();
    if (answer.startsWith('y')) await console_.save();
    else if (answer.startsWith('n')) await console_.discard();
    else return false;
    return true;
  };

  if (interactive) {
    console.log('HMIS console. Type help for the commands, quit or Ctrl-D to leave.');
    rl.prompt();
  }
  for await (const line of rl) {
    const cmd = line.trim();
    if (interactive && cmd) appendFileSync(historyFile, `${cmd}\n`);
    if (cmd === 'quit' || cmd === 'exit' || cmd === 'EOF') {
      if (await quit()) break;
    } else if (!(await console_.run(line)) && !interactive) {
      failed = true;
      await console_.discard();
      break;
    }
    if (interactive) rl.prompt();
  }
  if (!failed) await quit();
  rl.close();
  await finish(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  if (err instanceof NoDatabaseError || (err instanceof Error && err.message.startsWith('Invalid environment'))) console.error(err.message);
  else console.error(`** ${toAppError(err).message} **`);
  process.exit(1);
});
