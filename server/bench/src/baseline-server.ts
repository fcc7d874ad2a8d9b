/**
 * The benchmark's baseline: a bare Fastify + mysql2 server answering the benchmarked queries with the SQL the
 * services send (same statements, same indexes, same transactions and audit rows for writes), and nothing else —
 * no session, no CSRF, no validation, no tRPC, no ORM, no output schema. The distance between it and the app is
 * what the app's layers cost. Bench-only: spawned by bench.ts in its own process, never imported by the app.
 *
 *   node --import tsx server/bench/src/baseline-server.ts --database-url URL [--port 0] [--host 127.0.0.1]
 */
import { parseArgs } from 'node:util';
import Fastify, { type FastifyReply } from 'fastify';
import mysql from 'mysql2/promise';
import { createPool } from '@hmis/server/db/client';
import { GroupCommit } from '@hmis/server/db/group-commit';
import { COUNTER_SLOTS } from '@hmis/server/services/counts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    /** The app's pool size (server/src/db/client.ts). */
    'connection-limit': { type: 'string', default: '20' },
  },
});
if (!args['database-url']) {
  console.error('usage: baseline-server --database-url mysql://… [--port 0]');
  process.exit(2);
}

// The app's pool options and session settings, so both talk to MariaDB alike.
const pool = createPool(args['database-url']!, { connectionLimit: Number(args['connection-limit']) });

type Row = mysql.RowDataPacket;
type Executor = Pick<mysql.Pool, 'query'> | mysql.PoolConnection;

const rows = async (db: Executor, sql: string, params: unknown[] = []) => (await db.query<Row[]>(sql, params))[0];

// ---- The statements, as drizzle writes them for the services (server/src/services/*.ts) -----------------------

const PATIENT_COLUMNS =
  '`id`, `mrn`, `first_name`, `last_name`, `other_names`, `gender`, `dob`, `marital_status`, `address`, `phone_number`, `next_of_kin`, `kin_address`, `email`, `allergies`, `created_at`, `updated_at`, `created_by`, `updated_by`, `version`, `phone_intl`, `phone_reversed`';
const PATIENT_COLUMNS_QUALIFIED = PATIENT_COLUMNS.split(', ')
  .map((c) => `\`patients\`.${c}`)
  .join(', ');
const SELECT_PATIENT = `select ${PATIENT_COLUMNS} from \`patients\` where \`patients\`.\`id\` = ?`;

const author = "concat_ws(' ', `staff`.`first_name`, `staff`.`other_names`, `staff`.`last_name`) as `author_name`";
const CONSULTATION_COLUMNS = [
  'id',
  'patient_id',
  'doctor_id',
  'presenting_complaint',
  'history_of_presenting_complaint',
  'past_medical_history',
  'past_obstetric_history',
  'past_gynaecological_history',
  'provisional_diagnosis',
  'plan',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'version',
]
  .map((c) => `\`consultations\`.\`${c}\``)
  .join(', ');
const SELECT_CONSULTATIONS = `select ${CONSULTATION_COLUMNS}, ${author} from \`consultations\` inner join \`staff\` on \`staff\`.\`id\` = \`consultations\`.\`doctor_id\``;
const VITAL_COLUMNS = [
  'id',
  'patient_id',
  'consultation_id',
  'nurse_id',
  'pulse_rate',
  'respiratory_rate',
  'systolic_bp',
  'diastolic_bp',
  'temperature',
  'spo2',
  'height_cm',
  'weight_kg',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'version',
]
  .map((c) => `\`vitals\`.\`${c}\``)
  .join(', ');
const SELECT_VITALS = `select ${VITAL_COLUMNS}, ${author} from \`vitals\` inner join \`staff\` on \`staff\`.\`id\` = \`vitals\`.\`nurse_id\``;
const INSERT_AUDIT =
  'insert into `audit_events` (`id`, `at`, `actor_id`, `action`, `entity_type`, `entity_id`, `patient_id`, `before`, `after`, `detail`, `ip`) values (default, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** View events are group-committed as the app does (decision 008): the rows waiting during one INSERT go in the next. */
const INSERT_AUDIT_ROWS =
  'insert into `audit_events` (`at`, `actor_id`, `action`, `entity_type`, `entity_id`, `patient_id`, `before`, `after`, `detail`, `ip`) values ?';
const views = new GroupCommit<unknown[]>((rows) => pool.query(INSERT_AUDIT_ROWS, [rows]));
const BUMP_COUNT =
  'insert into `record_counts` (`kind`, `slot`, `n`) values (?, ?, ?) on duplicate key update `n` = `record_counts`.`n` + ?';

const VITAL_FIELDS = [
  'pulse_rate',
  'respiratory_rate',
  'systolic_bp',
  'diastolic_bp',
  'temperature',
  'spo2',
  'height_cm',
  'weight_kg',
] as const;
const VITAL_KEYS = ['pulseRate', 'respiratoryRate', 'systolicBp', 'diastolicBp', 'temperature', 'spo2', 'heightCm', 'weightKg'] as const;

const escapeLike = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const pageLimit = (v: unknown) => Math.min(100, Math.max(1, Number(v) || 20));

/** The app's search shapes: the page's ids from an index alone, then those rows by primary key, in index order. */
async function deferred(idsSql: string, params: unknown[]) {
  return byIds((await rows(pool, idsSql, params)).map((r) => r.id as number));
}

async function byIds(ids: number[]) {
  if (!ids.length) return [];
  const found = await rows(
    pool,
    `select ${PATIENT_COLUMNS} from \`patients\` where \`patients\`.\`id\` in (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const byId = new Map(found.map((r) => [r.id as number, r]));
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
}

/**
 * MRN and phone search as the app reads a query (services/patients.ts, readQuery): the sections a query is matched
 * in, each an ordered walk of one index with its own limit, later sections leaving out earlier matches, in one
 * statement joined back to the rows.
 */
const HOME_COUNTRY_CODE = '234';
const MRN_MATCH = '(`patients`.`mrn` like ? or `patients`.`mrn` = ?)';
type SectionKey = 'mrn' | 'phone' | 'phone-end';
type Values = { mrnStart: string; mrnNumber: string; phoneStart: string; phoneEnd: string };
const SECTIONS: Record<SectionKey, { column: string; match: string; params: (v: Values) => string[]; order: string }> = {
  mrn: { column: 'mrn', match: MRN_MATCH, params: (v) => [v.mrnStart, v.mrnNumber], order: '`patients`.`mrn`' },
  phone: {
    column: 'phone_intl',
    match: '`patients`.`phone_intl` like ?',
    params: (v) => [v.phoneStart],
    order: '`patients`.`phone_intl`, `patients`.`id`',
  },
  'phone-end': {
    column: 'phone_reversed',
    match: '`patients`.`phone_reversed` like ?',
    params: (v) => [v.phoneEnd],
    order: '`patients`.`phone_reversed`, `patients`.`id`',
  },
};

function numberValues(q: string): Values {
  const digits = q.replace(/\D/g, '');
  const digitsOnly = /^\d+$/.test(q);
  const phoneStart = q.startsWith('+')
    ? digits.startsWith(`${HOME_COUNTRY_CODE}0`)
      ? HOME_COUNTRY_CODE + digits.slice(HOME_COUNTRY_CODE.length + 1)
      : digits
    : digits.startsWith('0')
      ? HOME_COUNTRY_CODE + digits.slice(1)
      : digits;
  return {
    mrnStart: escapeLike(q.toUpperCase()),
    mrnNumber: digitsOnly ? `HMIS-${q.replace(/^0+(?=\d)/, '').padStart(7, '0')}` : q.toUpperCase(),
    phoneStart: escapeLike(phoneStart),
    phoneEnd: escapeLike([...digits].reverse().join('')),
  };
}

function byNumber(keys: SectionKey[], v: Values, limit: number) {
  const params: unknown[] = [];
  const branches = keys.map((key, i) => {
    const s = SECTIONS[key];
    const earlier = keys.slice(0, i);
    params.push(...s.params(v), ...earlier.flatMap((k) => SECTIONS[k].params(v)), limit);
    const where = earlier.length ? `(${s.match} and ${earlier.map((k) => `(${SECTIONS[k].match}) is not true`).join(' and ')})` : s.match;
    return `(select \`id\`, ${i} as \`s\`, \`${s.column}\` as \`k\` from \`patients\` where ${where} order by ${s.order} limit ?)`;
  });
  params.push(limit);
  const page = branches.length === 1 ? branches[0] : `(${branches.join(' union all ')})`;
  return rows(
    pool,
    `select ${PATIENT_COLUMNS_QUALIFIED}, \`page\`.\`s\` from ${page} \`page\` inner join \`patients\` on \`patients\`.\`id\` = \`page\`.\`id\` order by \`page\`.\`s\`, \`page\`.\`k\`, \`page\`.\`id\` limit ?`,
    params,
  );
}

function listPatients(q: string | undefined, limit: number) {
  const select = `select ${PATIENT_COLUMNS} from \`patients\``;
  if (!q) return rows(pool, `${select} order by \`patients\`.\`id\` desc limit ?`, [limit + 1]);
  const digits = q.replace(/\D/g, '');
  const byEnd = digits.length >= 7;
  if (/\p{L}/u.test(q) || !digits) {
    if (/\d/.test(q) && /^[A-Za-z0-9-]+$/.test(q)) return byNumber(['mrn'], numberValues(q), limit + 1);
  } else if (/^[\d-]+$/.test(q)) {
    return byNumber(byEnd ? ['mrn', 'phone', 'phone-end'] : ['mrn', 'phone'], numberValues(q), limit + 1);
  } else if (/^\+?[\d\s().-]+$/.test(q)) {
    return byNumber(byEnd && !q.startsWith('+') ? ['phone', 'phone-end'] : ['phone'], numberValues(q), limit + 1);
  }
  // Names, as the app does: one word → surname matches, then first-name-only matches, each an ordered index walk;
  // two words → both ways round on the surname index, merged.
  const [a, b] = q.split(/\s+/).slice(0, 2).map(escapeLike);
  if (!b) return byOneName(a!, limit);
  const order = 'order by `last_name`, `first_name`, `id` limit ?';
  const branch = '(select `id`, `last_name`, `first_name` from `patients` where `last_name` like ? and `first_name` like ? ' + order + ')';
  return deferred(`${branch} union ${branch} ${order}`, [b, a, limit + 1, a, b, limit + 1, limit + 1]);
}

async function byOneName(word: string, limit: number) {
  const ids = await rows(pool, 'select `id` from `patients` where `last_name` like ? order by `last_name`, `first_name`, `id` limit ?', [
    word,
    limit + 1,
  ]);
  if (ids.length <= limit) {
    ids.push(
      ...(await rows(
        pool,
        'select `id` from `patients` where `first_name` like ? and `last_name` not like ? order by `first_name`, `last_name`, `id` limit ?',
        [word, word, limit + 1 - ids.length],
      )),
    );
  }
  return byIds(ids.map((r) => r.id as number));
}

const consultationsPage = (patientId: number, limit: number) =>
  rows(pool, `${SELECT_CONSULTATIONS} where \`consultations\`.\`patient_id\` = ? order by \`consultations\`.\`id\` desc limit ?`, [
    patientId,
    limit + 1,
  ]);
const vitalsPage = (patientId: number, limit: number) =>
  rows(pool, `${SELECT_VITALS} where \`vitals\`.\`patient_id\` = ? order by \`vitals\`.\`id\` desc limit ?`, [patientId, limit + 1]);

/** The services' write shape: one transaction with the existence check, the insert, the read-back, the kept count and the audit row. */
async function insertWithAudit(
  patientId: number,
  insert: (conn: mysql.PoolConnection) => Promise<number>,
  readBack: (conn: mysql.PoolConnection, id: number) => Promise<Row | undefined>,
  kind: string,
  entity: string,
  actorId: number,
): Promise<Row | null> {
  const conn = await pool.getConnection();
  try {
    await conn.query('begin');
    const [patient] = await rows(conn, SELECT_PATIENT, [patientId]);
    if (!patient) {
      await conn.query('rollback');
      return null;
    }
    const id = await insert(conn);
    const created = await readBack(conn, id);
    await conn.query(BUMP_COUNT, [kind, Math.floor(Math.random() * COUNTER_SLOTS), 1, 1]);
    await conn.query(INSERT_AUDIT, [
      new Date(),
      actorId,
      'create',
      entity,
      id,
      patientId,
      null,
      JSON.stringify(created),
      null,
      '127.0.0.1',
    ]);
    await conn.query('commit');
    return created ?? null;
  } catch (err) {
    await conn.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

// ---- Routes: REST-like paths, no auth, no validation -------------------------------------------------------------

async function staffIdOf(username: string): Promise<number> {
  const [row] = await rows(pool, 'select `id` from `staff` where `username` = ?', [username]);
  if (!row) throw new Error(`baseline: no staff member "${username}" in the database (is it seeded?)`);
  return Number(row.id);
}
const doctorId = await staffIdOf('doctor');
const nurseId = await staffIdOf('nurse');

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
const notFound = (reply: FastifyReply) => reply.code(404).send({ code: 'NOT_FOUND' });

type IdParams = { Params: { id: string } };

/** Opening a record, as the app does it: the read and the 'view' audit row. */
app.get<IdParams>('/patients/:id', async (req, reply) => {
  const id = Number(req.params.id);
  const [patient] = await rows(pool, SELECT_PATIENT, [id]);
  if (!patient) return notFound(reply);
  // Handed to the group commit without waiting for it, as the app does with view events (decision 008).
  views.add([new Date(), doctorId, 'view', 'patient', id, id, null, null, null, req.ip]).catch(() => undefined);
  return patient;
});
/** The read alone, to show what the view audit costs. */
app.get<IdParams>('/patients/:id/bare', async (req, reply) => {
  const [patient] = await rows(pool, SELECT_PATIENT, [Number(req.params.id)]);
  return patient ?? notFound(reply);
});
app.get<{ Querystring: { q?: string; limit?: string } }>('/patients', async (req) => {
  const limit = pageLimit(req.query.limit);
  const found = await listPatients(req.query.q?.trim() || undefined, limit);
  return { items: found.slice(0, limit), more: found.length > limit };
});
app.get<IdParams & { Querystring: { limit?: string } }>('/patients/:id/consultations', async (req) => {
  const limit = pageLimit(req.query.limit);
  return { items: (await consultationsPage(Number(req.params.id), limit)).slice(0, limit) };
});
app.get<IdParams & { Querystring: { limit?: string } }>('/patients/:id/vitals', async (req) => {
  const limit = pageLimit(req.query.limit);
  return { items: (await vitalsPage(Number(req.params.id), limit)).slice(0, limit) };
});
/** The chart: first page of consultations and the latest vital signs, both at once (as a tRPC batch runs them). */
app.get<IdParams>('/patients/:id/chart', async (req) => {
  const id = Number(req.params.id);
  const [consultations, vitals] = await Promise.all([consultationsPage(id, 20), vitalsPage(id, 1)]);
  return { consultations: consultations.slice(0, 20), latestVitals: vitals[0] ?? null };
});
app.post<IdParams & { Body: Record<string, unknown> }>('/patients/:id/consultations', async (req, reply) => {
  const patientId = Number(req.params.id);
  const b = req.body ?? {};
  const now = new Date();
  const created = await insertWithAudit(
    patientId,
    async (conn) => {
      const [res] = await conn.query<mysql.ResultSetHeader>(
        'insert into `consultations` (`id`, `patient_id`, `doctor_id`, `presenting_complaint`, `history_of_presenting_complaint`, `past_medical_history`, `past_obstetric_history`, `past_gynaecological_history`, `provisional_diagnosis`, `plan`, `created_at`, `updated_at`, `created_by`, `updated_by`, `version`) values (default, ?, ?, ?, default, default, default, default, ?, ?, ?, ?, ?, ?, default)',
        [patientId, doctorId, b.presentingComplaint ?? null, b.provisionalDiagnosis ?? '', b.plan ?? null, now, now, doctorId, doctorId],
      );
      return res.insertId;
    },
    async (conn, id) => (await rows(conn, `${SELECT_CONSULTATIONS} where \`consultations\`.\`id\` = ?`, [id]))[0],
    'consultations',
    'consultation',
    doctorId,
  );
  return created ? reply.code(201).send(created) : notFound(reply);
});
type VisitParams = { Params: { id: string; consultationId: string } };
app.post<VisitParams & { Body: Record<string, unknown> }>('/patients/:id/consultations/:consultationId/vitals', async (req, reply) => {
  const patientId = Number(req.params.id);
  const consultationId = Number(req.params.consultationId);
  const b = req.body ?? {};
  const now = new Date();
  const created = await insertWithAudit(
    patientId,
    async (conn) => {
      // The service checks that the consultation is this patient's before recording in it.
      const [consultation] = await rows(
        conn,
        `select ${CONSULTATION_COLUMNS} from \`consultations\` where (\`consultations\`.\`id\` = ? and \`consultations\`.\`patient_id\` = ?)`,
        [consultationId, patientId],
      );
      if (!consultation) throw Object.assign(new Error('No such consultation'), { statusCode: 404 });
      const [res] = await conn.query<mysql.ResultSetHeader>(
        `insert into \`vitals\` (\`id\`, \`patient_id\`, \`consultation_id\`, \`nurse_id\`, ${VITAL_FIELDS.map((f) => `\`${f}\``).join(', ')}, \`created_at\`, \`updated_at\`, \`created_by\`, \`updated_by\`, \`version\`) values (default, ?, ?, ?, ${VITAL_FIELDS.map(() => '?').join(', ')}, ?, ?, ?, ?, default)`,
        [patientId, consultationId, nurseId, ...VITAL_KEYS.map((k) => b[k] ?? null), now, now, nurseId, nurseId],
      );
      return res.insertId;
    },
    async (conn, id) => (await rows(conn, `${SELECT_VITALS} where \`vitals\`.\`id\` = ?`, [id]))[0],
    'vitals',
    'vital',
    nurseId,
  );
  return created ? reply.code(201).send(created) : notFound(reply);
});
app.get('/stats', async () => {
  const counts = await rows(pool, 'select `kind`, sum(`n`) as `n` from `record_counts` group by `kind`');
  return Object.fromEntries(counts.map((r) => [r.kind as string, Number(r.n)]));
});

app.addHook('onClose', async () => {
  await pool.end();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
const address = await app.listen({ port: Number(args.port), host: args.host });
console.log(`baseline listening on ${address}`);
