/** What is particular to nurse notes; the rules every clinical record shares are in clinical-records.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv, TrpcClient } from './helpers';
import { clinicalWorld, fieldPaths, newPatient as registerPatient, storedRow as storedRecord } from './clinical-kinds';

const w = clinicalWorld();
let env: TestEnv;
let nurse: TrpcClient;
beforeAll(() => {
  ({
    env,
    trpc: { nurse },
  } = w);
});

const newPatient = () => registerPatient(w);

function createNote(patientId: number, overrides: Record<string, unknown> = {}) {
  return nurse.mutate('nurseNotes.create', { patientId, note: 'Patient comfortable, took oral fluids well.', ...overrides });
}

async function newNote() {
  const res = await createNote(await newPatient());
  expect(res.status).toBe(200);
  return res.data;
}

const storedRow = (id: number) => storedRecord(w, 'nurseNotes', id);

describe('writing a nurse note', () => {
  it('a nurse writes a note and gets back its text, with the nurse and their name', async () => {
    const patientId = await newPatient();
    const res = await createNote(patientId, { note: 'Wound dressed; no discharge.' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      patientId,
      nurseId: env.staff.nurse.id,
      nurseName: 'nurse Tester',
      note: 'Wound dressed; no discharge.',
    });
  });

  it.each([
    ['empty', ''],
    ['only whitespace', ' \n\t '],
    ['missing', undefined],
  ])('refuses a note that is %s with a 400 naming note and stores nothing', async (_what, note) => {
    const patientId = await newPatient();
    const res = await nurse.mutate('nurseNotes.create', { patientId, note });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('note');
    expect((await nurse.query('nurseNotes.list', { patientId })).data.items).toHaveLength(0);
  });
});

describe('updating a nurse note', () => {
  it('refuses emptying the note and changes nothing', async () => {
    const n = await newNote();
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: '' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('note');
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note });
  });
});
