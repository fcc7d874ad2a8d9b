import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { staff } from '../db/schema';

/** Whether the database answers a trivial query. */
export async function databaseAnswers(db: Executor): Promise<boolean> {
  try {
    await db.execute(sql`SELECT 1`);
    return true;
  } catch {
    return false;
  }
}

/** An installation with no staff at all is new (demo data and the first admin go there). */
export async function hasNoStaff(db: Executor): Promise<boolean> {
  const [row] = await db.select({ id: staff.id }).from(staff).limit(1);
  return !row;
}
