/**
 * Transactions the database rolls back to break a deadlock (errno 1213; a Galera node reports a lost certification
 * the same way) are run again a bounded number of times before the client sees 409 (issue 12; server/src/db/client.ts).
 * A real deadlock on a real database: two transactions lock two rows in opposite order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { TRANSACTION_ATTEMPTS } from '../src/db/client';
import { fromDatabaseError } from '../src/errors';
import { createTestEnv, type TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await env.database.db.execute(sql`create table retry_pair (id int primary key, v int not null)`);
  await env.database.db.execute(sql`insert into retry_pair values (1, 0), (2, 0)`);
});
afterAll(async () => env?.close());

/** Resolves when `count` callers have arrived (the first attempt of each transaction only). */
function barrier(count: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived >= count) open();
    return opened;
  };
}

describe('transactions rolled back by a deadlock', () => {
  it('are run again: both of two transactions that deadlock commit, the victim on its second attempt', async () => {
    const { db } = env.database;
    const bothHoldOne = barrier(2);
    const attempts = { a: 0, b: 0 };
    const lockBoth = (name: 'a' | 'b', first: number, second: number) =>
      db.transaction(async (tx) => {
        attempts[name]++;
        await tx.execute(sql`select v from retry_pair where id = ${first} for update`);
        if (attempts[name] === 1) await bothHoldOne();
        await tx.execute(sql`select v from retry_pair where id = ${second} for update`);
        await tx.execute(sql`update retry_pair set v = v + 1 where id in (1, 2)`);
      });
    await Promise.all([lockBoth('a', 1, 2), lockBoth('b', 2, 1)]);
    expect(attempts.a + attempts.b).toBe(3); // one of them was chosen as the deadlock's victim once
    const [rows] = await env.database.pool.query('select v from retry_pair order by id');
    expect((rows as { v: number }[]).map((r) => r.v)).toEqual([2, 2]); // both committed, each once
  });

  it(`give up after ${TRANSACTION_ATTEMPTS} attempts, and the deadlock reaches the client as 409 "try again"`, async () => {
    let attempts = 0;
    const failing = env.database.db.transaction(async () => {
      attempts++;
      throw Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
        errno: 1213,
        sqlMessage: 'Deadlock found when trying to get lock; try restarting transaction',
      });
    });
    const error = await failing.catch((e: unknown) => e);
    expect(attempts).toBe(TRANSACTION_ATTEMPTS);
    expect(fromDatabaseError(error)).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('any other error is not retried', async () => {
    let attempts = 0;
    await expect(
      env.database.db.transaction(async (tx) => {
        attempts++;
        await tx.execute(sql`insert into retry_pair values (1, 0)`); // duplicate key
      }),
    ).rejects.toThrow();
    expect(attempts).toBe(1);
  });
});
