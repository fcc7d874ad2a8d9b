/**
 * The console's unit of work: the first change opens a transaction that stays open across commands; `save` commits
 * it, quitting without saving rolls it back. Each command runs in a savepoint inside it (the services' own
 * transactions nest), so a failed command undoes only itself.
 */
import type { Db, Tx } from '../db/client';

export interface OpenTransaction {
  tx: Tx;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

class Rollback extends Error {}

export function openTransaction(db: Db): Promise<OpenTransaction> {
  return new Promise((resolveOpen, rejectOpen) => {
    let decide!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (decide = resolve));
    let opened = false;
    const finished = db.transaction(async (tx) => {
      opened = true;
      resolveOpen({
        tx,
        commit: async () => {
          decide(true);
          await finished;
        },
        rollback: async () => {
          decide(false);
          await finished.catch((e: unknown) => {
            if (!(e instanceof Rollback)) throw e;
          });
        },
      });
      if (!(await decided)) throw new Rollback('rolled back');
    });
    finished.catch((e: unknown) => {
      if (!opened) rejectOpen(e);
    });
  });
}
