/**
 * Group commit: rows that arrive while a write is in flight are written together by the next one, as one multi-row
 * INSERT. Each caller's promise settles only when its own row is committed (or has failed), so nothing is reported
 * done before it is durable; under load a hundred requests cost one commit instead of a hundred. With one caller
 * at a time it is a plain INSERT with no added wait.
 */
/** Every group commit of this process, so closing the database first lets their rows in flight be written. */
const everyGroup = new Set<{ settled(): Promise<void>; waitingRows(): number }>();

/** Resolves once every group commit's rows in flight are written or have failed (called before the pool closes). */
export async function settleGroupCommits(): Promise<void> {
  await Promise.all([...everyGroup].map((g) => g.settled()));
}

/** Rows waiting for their group's next INSERT, over every group commit of this process (a metrics gauge). */
export function groupCommitBacklog(): number {
  let rows = 0;
  for (const group of everyGroup) rows += group.waitingRows();
  return rows;
}

export class GroupCommit<Row> {
  private pending: { row: Row; settle: (err?: unknown) => void }[] = [];
  private writing = false;
  private idle: (() => void)[] = [];

  /** `write` inserts the rows it is given in one statement. */
  constructor(
    private readonly write: (rows: Row[]) => Promise<unknown>,
    private readonly maxRows = 500,
  ) {
    everyGroup.add(this);
  }

  /** Resolves once every row added so far has been written or has failed (graceful shutdown, tests). */
  settled(): Promise<void> {
    if (!this.writing && !this.pending.length) return Promise.resolve();
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Rows added and not yet in an INSERT (those of the write in flight are not counted). */
  waitingRows(): number {
    return this.pending.length;
  }

  add(row: Row): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxRows);
        try {
          await this.write(batch.map((p) => p.row));
          for (const p of batch) p.settle();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.settle(err);
            continue;
          }
          // One bad row must not fail the others: write them one by one, each caller getting its own outcome.
          for (const p of batch) {
            try {
              await this.write([p.row]);
              p.settle();
            } catch (e) {
              p.settle(e);
            }
          }
        }
      }
    } finally {
      this.writing = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
