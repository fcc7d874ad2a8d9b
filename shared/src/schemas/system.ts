import { z } from 'zod';

export const Status = z.object({ status: z.enum(['OK', 'FAIL']) });
export type Status = z.infer<typeof Status>;

/** Liveness: the process serves HTTP. Says nothing about the database (that is Status). */
export const Liveness = z.object({ status: z.literal('OK') });
export type Liveness = z.infer<typeof Liveness>;

export const STAT_KINDS = ['patients', 'staff', 'consultations', 'prescriptions', 'vitals', 'nurseNotes', 'drugs'] as const;
export type StatKind = (typeof STAT_KINDS)[number];
export const Stats = z.object(Object.fromEntries(STAT_KINDS.map((k) => [k, z.number().int()])) as Record<StatKind, z.ZodNumber>);
export type Stats = z.infer<typeof Stats>;
