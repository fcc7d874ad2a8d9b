/**
 * The rules every clinical record kind shares (decision 003), tested once as a table: each kind of KINDS over each
 * transport. What is particular to a kind (its fields, limits, states) stays in that kind's own test file.
 */
import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { auditEvents } from '../src/db/schema';
import { HOUR } from './helpers';
import { clinicalWorld, KINDS, newPatient, recordsOf, staffId, TRANSPORTS, type ClinicalKind, type Made, type Who } from './clinical-kinds';

const MINUTE = 60 * 1000;
const UNKNOWN_PATIENT = 99_999_999;
/** Decodes like a real cursor but carries text where the id belongs. */
const forgedCursor = Buffer.from(JSON.stringify(['1 or 1=1'])).toString('base64url');

const w = clinicalWorld();

const PERSON: Record<Who, string> = {
  records: 'a record officer',
  doctor: 'a doctor',
  doctor2: 'another doctor',
  nurse: 'a nurse',
  nurse2: 'another nurse',
  pharmacist: 'a pharmacist',
  admin: 'an admin',
};
/** A person for it.each: the words for the test's name, then who it is. */
const as = (who: Who) => [PERSON[who], who] as const;

/** The actions of the audit events about one record, oldest first. */
async function auditActions(kind: ClinicalKind, made: Made) {
  return (await auditOf(kind, made)).map((e) => e.action);
}

function auditOf(kind: ClinicalKind, made: Made) {
  return w.env.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, kind.entityType), eq(auditEvents.entityId, made.record.id)))
    .orderBy(asc(auditEvents.id));
}

async function viewsBy(kind: ClinicalKind, who: Who, patientId: number) {
  const rows = await w.env.database.db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, 'view'),
        eq(auditEvents.entityType, kind.viewedAs),
        eq(auditEvents.patientId, patientId),
        eq(auditEvents.actorId, staffId(w, who)),
      ),
    );
  return rows.length;
}

describe.each(KINDS.map((kind) => [kind.name, kind] as const))('%s', (_name, kind) => {
  const [first, second] = kind.edit.values;
  const field = kind.edit.field;

  describe.each(TRANSPORTS.map((t) => [t.name, t] as const))('over %s', (_name, t) => {
    const records = recordsOf(w, t, kind);
    const author = () => staffId(w, kind.author);
    const expectUnchanged = async (made: Made) =>
      expect(await records.stored(made)).toMatchObject({ version: 1, [field]: made.record[field] });

    describe('the 24-hour window', () => {
      it.each([
        ['at once', 0],
        ['at 23 hours 59 minutes', 24 * HOUR - MINUTE],
      ])('the author can update it %s and its version goes up', async (_when, after) => {
        const made = await records.make();
        w.env.clock.advance(after);
        const res = await records.update(made, 1, first);
        expect(res.status).toBe(200);
        expect(res.data).toMatchObject({ id: made.record.id, version: 2, [field]: first, updatedBy: author() });
        expect(await records.stored(made)).toMatchObject({ version: 2, [field]: first });
      });

      it.each([
        ['at once', 0],
        ['at 23 hours 59 minutes', 24 * HOUR - MINUTE],
      ])('the author can delete it %s, after which it is gone', async (_when, after) => {
        const made = await records.make();
        w.env.clock.advance(after);
        const res = await records.remove(made);
        expect(res.status).toBe(200);
        expect(res.data).toMatchObject({ deleted: true });
        expect(await records.stored(made)).toBeUndefined();
      });

      it("refuses the author's update after 24 hours with 409 LOCKED and changes nothing", async () => {
        const made = await records.make();
        w.env.clock.advance(24 * HOUR + MINUTE);
        const res = await records.update(made, 1, first);
        expect(res.status).toBe(409);
        expect(res.code).toBe('LOCKED');
        await expectUnchanged(made);
      });

      it("refuses the author's delete after 24 hours with 409 LOCKED and keeps it", async () => {
        const made = await records.make();
        w.env.clock.advance(24 * HOUR + MINUTE);
        const res = await records.remove(made);
        expect(res.status).toBe(409);
        expect(res.code).toBe('LOCKED');
        expect(await records.stored(made)).toBeDefined();
      });

      it('counts the 24 hours from creation, not from the last update', async () => {
        const made = await records.make();
        w.env.clock.advance(23 * HOUR);
        expect((await records.update(made, 1, first)).status).toBe(200);
        w.env.clock.advance(HOUR + MINUTE);
        const res = await records.update(made, 2, second);
        expect(res.status).toBe(409);
        expect(res.code).toBe('LOCKED');
      });

      it('a locked record can still be read', async () => {
        const made = await records.make();
        w.env.clock.advance(30 * HOUR);
        const res = await records.read(made);
        expect(res.status).toBe(200);
        expect(res.data).toMatchObject({ id: made.record.id, [field]: made.record[field] });
      });
    });

    describe('authorship', () => {
      it('a new record names its author from the session, has version 1 and is editable for 24 hours', async () => {
        const before = w.env.clock.now().getTime();
        const made = await records.make();
        const { record } = made;
        const authorFields = Object.fromEntries(kind.authorFields.map((f) => [f, author()]));
        expect(record).toMatchObject({ version: 1, createdBy: author(), updatedBy: author(), ...authorFields });
        const createdAt = Date.parse(record.createdAt);
        expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
        expect(createdAt).toBeLessThanOrEqual(w.env.clock.now().getTime() + 1000);
        const opens = kind.windowOpensAt ? Date.parse(await kind.windowOpensAt(w, made)) : createdAt;
        expect(Date.parse(record.editableUntil) - opens).toBe(EDIT_WINDOW_MS);
      });

      it('takes the author from the session even when the body names someone else', async () => {
        const other = staffId(w, kind.rival);
        const named = Object.fromEntries(['createdBy', 'updatedBy', ...kind.authorFields].map((f) => [f, other]));
        const nameField = kind.authorName ? { [kind.authorName]: 'Someone Else' } : {};
        const res = await records.create(await kind.prepare(w, await newPatient(w)), kind.author, { ...named, ...nameField });
        expect(res.status).toBe(t.createdStatus);
        const mine = Object.fromEntries(Object.keys(named).map((f) => [f, author()]));
        // Staff are created with their username as first name (helpers.ts).
        expect(res.data).toMatchObject({ ...mine, ...(kind.authorName ? { [kind.authorName]: `${kind.author} Tester` } : {}) });
        expect(await records.stored({ record: res.data })).toMatchObject(mine);
      });

      it(`${PERSON[kind.rival]} cannot update it (403 FORBIDDEN) and it is unchanged`, async () => {
        const made = await records.make();
        const res = await records.update(made, 1, first, kind.rival);
        expect(res.status).toBe(403);
        expect(res.code).toBe('FORBIDDEN');
        await expectUnchanged(made);
      });

      it(`${PERSON[kind.rival]} cannot delete it (403 FORBIDDEN) and it is kept`, async () => {
        const made = await records.make();
        const res = await records.remove(made, kind.rival);
        expect(res.status).toBe(403);
        expect(res.code).toBe('FORBIDDEN');
        expect(await records.stored(made)).toBeDefined();
      });

      it(`${PERSON[kind.otherRole]} cannot update or delete it (403)`, async () => {
        const made = await records.make();
        expect((await records.update(made, 1, first, kind.otherRole)).status).toBe(403);
        expect((await records.remove(made, kind.otherRole)).status).toBe(403);
        await expectUnchanged(made);
      });
    });

    describe('versions', () => {
      it('refuses a stale version with 409 STALE_VERSION and changes nothing', async () => {
        const made = await records.make();
        expect((await records.update(made, 1, first)).status).toBe(200);
        const res = await records.update(made, 1, second);
        expect(res.status).toBe(409);
        expect(res.code).toBe('STALE_VERSION');
        expect(res.fields).toContain('version');
        expect(await records.stored(made)).toMatchObject({ version: 2, [field]: first });
      });

      it('of two simultaneous updates from the same version exactly one wins and the other is STALE_VERSION', async () => {
        const made = await records.make();
        const results = await Promise.all([first, second].map((value) => records.update(made, 1, value)));
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(results.find((r) => r.status === 409)?.code).toBe('STALE_VERSION');
        const winner = results.find((r) => r.status === 200)!.data;
        expect(await records.stored(made)).toMatchObject({ version: 2, [field]: winner[field] });
      });
    });

    describe('audit', () => {
      it('writes exactly one create event, by the author, about the patient', async () => {
        const made = await records.make();
        const events = await auditOf(kind, made);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ action: 'create', entityId: made.record.id, patientId: made.at.patientId, actorId: author() });
      });

      it('writes exactly one update event with the old and new values', async () => {
        const made = await records.make();
        expect((await records.update(made, 1, first)).status).toBe(200);
        const events = (await auditOf(kind, made)).filter((e) => e.action === 'update');
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          patientId: made.at.patientId,
          actorId: author(),
          before: { [field]: made.record[field] },
          after: { [field]: first },
        });
      });

      it('writes exactly one delete event, by the author', async () => {
        const made = await records.make();
        expect((await records.remove(made)).status).toBe(200);
        const events = (await auditOf(kind, made)).filter((e) => e.action === 'delete');
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ patientId: made.at.patientId, actorId: author() });
      });

      it(`a refused update or delete by ${PERSON[kind.rival]} (403) writes no event`, async () => {
        const made = await records.make();
        await records.update(made, 1, first, kind.rival);
        await records.remove(made, kind.rival);
        expect(await auditActions(kind, made)).toEqual(['create']);
      });

      it('a refused stale or locked change (409) writes no event', async () => {
        const made = await records.make();
        expect((await records.update(made, 7, first)).status).toBe(409);
        w.env.clock.advance(24 * HOUR + MINUTE);
        expect((await records.update(made, 1, first)).status).toBe(409);
        expect((await records.remove(made)).status).toBe(409);
        expect(await auditActions(kind, made)).toEqual(['create']);
      });

      it(`a read by ${PERSON[kind.alsoReadBy[0]!]} writes one view event naming the reader and the patient`, async () => {
        const made = await records.make();
        const reader = kind.alsoReadBy[0]!;
        const before = await viewsBy(kind, reader, made.at.patientId);
        expect((await records.read(made, reader)).status).toBe(200);
        expect(await viewsBy(kind, reader, made.at.patientId)).toBe(before + 1);
      });
    });

    describe('the patient it belongs to', () => {
      it('creating one for an unknown patient answers 404 and stores nothing', async () => {
        const prepared = await kind.prepare(w, await newPatient(w));
        const stored = await records.storedCount();
        const res = await records.create(prepared, kind.author, { patientId: UNKNOWN_PATIENT });
        expect(res.status).toBe(404);
        expect(res.code).toBe('NOT_FOUND');
        expect(await records.storedCount()).toBe(stored);
      });

      it("answers 404 when it is read under another patient's id", async () => {
        const made = await records.make();
        const res = await records.read(made, kind.author, { ...made.at, patientId: await newPatient(w) });
        expect(res.status).toBe(404);
        expect(res.code).toBe('NOT_FOUND');
      });

      it("answers 404 for an update under another patient's id and changes nothing", async () => {
        const made = await records.make();
        const res = await records.update(made, 1, first, kind.author, { ...made.at, patientId: await newPatient(w) });
        expect(res.status).toBe(404);
        await expectUnchanged(made);
      });

      it("answers 404 for a delete under another patient's id and keeps it", async () => {
        const made = await records.make();
        const res = await records.remove(made, kind.author, { ...made.at, patientId: await newPatient(w) });
        expect(res.status).toBe(404);
        expect(await records.stored(made)).toBeDefined();
      });
    });

    describe('reading', () => {
      it('reads it back by its patient as it was created', async () => {
        const made = await records.make();
        const res = await records.read(made);
        expect(res.status).toBe(200);
        expect(res.data).toEqual(made.record);
      });

      if (kind.procedures.list)
        describe("the patient's list", () => {
          it('lists only the patient’s records, newest first, a page at a time', async () => {
            const patientId = await newPatient(w);
            const [a, b, c] = [await records.make(patientId), await records.make(patientId), await records.make(patientId)];
            await records.make(); // another patient's
            const ids = (res: { data: { items: { id: number }[] } }) => res.data.items.map((i) => i.id);

            const page1 = await records.list(kind.author, patientId, { limit: 2 });
            expect(page1.status).toBe(200);
            expect(ids(page1)).toEqual([c.record.id, b.record.id]);
            expect(page1.data.nextCursor).toEqual(expect.any(String));

            const page2 = await records.list(kind.author, patientId, { limit: 2, cursor: page1.data.nextCursor });
            expect(page2.status).toBe(200);
            expect(ids(page2)).toEqual([a.record.id]);
            expect(page2.data.nextCursor).toBeNull();
          });

          it.each([
            ['it did not make', 'not-a-cursor'],
            ['that holds no id', forgedCursor],
          ])('refuses a cursor %s with a 400 naming cursor', async (_what, cursor) => {
            const made = await records.make();
            const res = await records.list(kind.author, made.at.patientId, { cursor });
            expect(res.status).toBe(400);
            expect(res.fields).toContain('cursor');
          });
        });
    });

    describe('who may read and write it', () => {
      it.each(kind.cannotCreate.map(as))('%s cannot create one (403) and nothing is stored', async (_who, who) => {
        const prepared = await kind.prepare(w, await newPatient(w));
        const stored = await records.storedCount();
        const res = await records.create(prepared, who);
        expect(res.status).toBe(403);
        expect(res.code).toBe('FORBIDDEN');
        expect(await records.storedCount()).toBe(stored);
      });

      it.each(kind.cannotRead.map(as))('%s cannot read it (403)', async (_who, who) => {
        const made = await records.make();
        const res = await records.read(made, who);
        expect(res.status).toBe(403);
        expect(res.code).toBe('FORBIDDEN');
        if (kind.procedures.list) expect((await records.list(who, made.at.patientId)).status).toBe(403);
      });

      it.each(kind.alsoReadBy.map(as))('%s can read it', async (_who, who) => {
        const made = await records.make();
        const res = await records.read(made, who);
        expect(res.status).toBe(200);
        expect(res.data.id).toBe(made.record.id);
        if (kind.procedures.list) expect((await records.list(who, made.at.patientId)).status).toBe(200);
      });

      it('an anonymous caller gets 401 for reading and writing', async () => {
        const made = await records.make();
        expect((await records.read(made, null)).status).toBe(401);
        if (kind.procedures.list) expect((await records.list(null, made.at.patientId)).status).toBe(401);
        const res = await records.create(await kind.prepare(w, made.at.patientId), null);
        expect(res.status).toBe(401);
        expect(res.code).toBe('UNAUTHENTICATED');
      });
    });
  });

  describe('over REST, versions in headers', () => {
    const records = recordsOf(w, TRANSPORTS.find((t) => t.name === 'REST')!, kind);

    it('takes the version from If-Match, answers with the new version in ETag, and refuses a stale If-Match with 409', async () => {
      const made = await records.make();
      const ok = await records.update(made, undefined, first, kind.author, made.at, { 'if-match': '"1"' });
      expect(ok.status).toBe(200);
      expect(ok.data.version).toBe(2);
      expect(ok.headers.etag).toBe('"2"');
      const stale = await records.update(made, undefined, second, kind.author, made.at, { 'if-match': '"1"' });
      expect(stale.status).toBe(409);
      expect(stale.code).toBe('STALE_VERSION');
      expect(await records.stored(made)).toMatchObject({ version: 2, [field]: first });
    });
  });
});
