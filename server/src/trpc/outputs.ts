import { z } from 'zod';

/** What a delete returns. */
export const Deleted = z.object({ id: z.number().int(), deleted: z.literal(true) });
export const deleted = (id: number) => ({ id, deleted: true as const });
