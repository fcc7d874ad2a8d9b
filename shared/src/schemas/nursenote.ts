import { z } from 'zod';
import { Id, LIMITS, requiredText, Version } from '../fields';
import { clinicalMeta } from './consultation';

export const NurseNoteCreateInput = z.object({ patientId: Id, note: requiredText(LIMITS.clinicalText) });
export type NurseNoteCreateInput = z.input<typeof NurseNoteCreateInput>;

export const NurseNoteUpdateInput = z.object({
  patientId: Id,
  id: Id,
  version: Version,
  note: requiredText(LIMITS.clinicalText),
});
export type NurseNoteUpdateInput = z.input<typeof NurseNoteUpdateInput>;

export const NurseNote = z.object({
  id: z.number().int(),
  patientId: z.number().int(),
  nurseId: z.number().int(),
  nurseName: z.string(),
  note: z.string(),
  ...clinicalMeta,
});
export type NurseNote = z.infer<typeof NurseNote>;
