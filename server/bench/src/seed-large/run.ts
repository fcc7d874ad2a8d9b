/** The run: one database, its lock, the base (staff, formulary), then the chunks of patients, table by table. */
import { STAT_KINDS, type Role } from '@hmis/shared';
import { hashPassword } from '@hmis/server/auth/passwords';
import { systemClock } from '@hmis/server/clock';
import { connect, createDatabaseIfMissing, migrateDatabase, splitDatabaseUrl } from '@hmis/server/db/client';
import { DEMO_USERNAMES } from '@hmis/server/demo-data';
import { audit } from '@hmis/server/services/audit';
import { bumpCount } from '@hmis/server/services/counts';
import { GENERATORS } from './clinical';
import { DRUG_SPECS } from './drug-catalogue';
import { formularyOf, loadFormulary } from './formulary';
import {
  CLINICAL_TABLES,
  COUNT_KIND,
  DATA_TABLES,
  DEFAULT_CHUNK_PATIENTS,
  emptyRows,
  SeedRefusedError,
  type SeedLargeOptions,
  type SeedLargeResult,
  type TableName,
} from './model';
import { loadWorld, planChunk, S_BASE, type NextIds } from './plan';
import {
  fmtDuration,
  fmtInt,
  fmtRate,
  NEXT_TABLES,
  Progress,
  PROGRESS_DDL,
  progressAssignments,
  readProgress,
  saveProgress,
  tableBit,
  type ProgressRow,
} from './progress';
import { mix, mulberry32, ts } from './random';
import { staffRows } from './staff';
import { checkColumns, loadRows, nextIdOf, openSession, rowsOf, setStatsAutoRecalc, type Session } from './writer';

export async function seedLarge(options: SeedLargeOptions): Promise<SeedLargeResult> {
  const started = Date.now();
  const target = options.patients;
  if (!Number.isSafeInteger(target) || target < 1) throw new Error('--patients must be a positive whole number');
  const chunkPatients = options.chunkPatients ?? DEFAULT_CHUNK_PATIENTS;
  const parallel = Math.max(1, options.parallel ?? 2);
  const out = options.output === undefined ? process.stderr : options.output;
  const progress = new Progress(out);
  const { database } = splitDatabaseUrl(options.databaseUrl);

  await createDatabaseIfMissing(options.databaseUrl);
  const migrator = connect(options.databaseUrl, { connectionLimit: 1 });
  try {
    await migrateDatabase(migrator.db);
  } finally {
    await migrator.close();
  }

  // The main connection holds the run's lock and does the bookkeeping; the workers load tables.
  const main = await openSession(options.databaseUrl);
  const { conn, db } = main;
  const workers: Session[] = [];
  let recalcOff = false;
  try {
    // One run per database at a time (a second one would load the same ids). Released when the connection closes.
    const [lock] = await rowsOf(conn, 'SELECT GET_LOCK(?, 0) AS got', [`seed-large:${database}`]);
    if (Number(lock?.got) !== 1) throw new SeedRefusedError(`another seed-large run is loading ${database}; wait for it or stop it`);
    await checkColumns(conn);
    let method: 'load-data' | 'insert' = options.useInserts ? 'insert' : 'load-data';
    if (method === 'load-data') {
      const [row] = await rowsOf(conn, 'SELECT @@GLOBAL.local_infile AS on_');
      if (Number(row?.on_) !== 1) {
        method = 'insert';
        progress.log(
          'seed-large: the server has local_infile off: using multi-row INSERTs (slower; SET GLOBAL local_infile = 1 allows LOAD DATA)',
        );
      }
    }

    let state = await readProgress(conn);
    const rows = emptyRows();
    if (state) {
      if (options.seed !== undefined && options.seed !== state.seed) {
        throw new SeedRefusedError(`${database} was generated with --seed ${state.seed}; give the same seed or use another database`);
      }
      const committed = state.done + (state.chunk?.patients ?? 0);
      if (target < committed) {
        throw new SeedRefusedError(
          state.chunk
            ? `${database} has an interrupted run for ${fmtInt(state.chunk.target)} patients; run it again with --patients ${fmtInt(state.chunk.target)} (or more)`
            : `${database} already holds ${fmtInt(state.done)} generated patients, more than the ${fmtInt(target)} asked for; use another database`,
        );
      }
      const grown = await extendFormulary(main, method, options, state, rows, progress);
      if (state.done >= target && !state.chunk && !grown) {
        await setStatsAutoRecalc(conn, true); // in case a run was killed between its last load and putting it back
        progress.log(
          `seed-large: ${database} already holds the generated data for ${fmtInt(state.done)} patients (seed ${state.seed}); nothing to do`,
        );
        return {
          status: 'already-seeded',
          patientsTotal: state.done,
          rows,
          heavyPatientId: state.heavyPatientId,
          seed: state.seed,
          ms: Date.now() - started,
          method,
        };
      }
      if (state.done < target || state.chunk) {
        progress.log(
          `seed-large: ${database} holds ${fmtInt(state.done)} of ${fmtInt(target)} patients${state.chunk ? ' and part of the next chunk' : ''}; continuing (seed ${state.seed})`,
        );
      }
      if (!state.chunk) {
        // Rows the application wrote after a finished run took ids; the next chunk starts above them.
        for (const key of Object.keys(NEXT_TABLES) as (keyof NextIds)[]) {
          const [row] = await rowsOf(conn, `SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \`${NEXT_TABLES[key]}\``);
          state.next[key] = Math.max(state.next[key], Number(row?.next));
        }
      }
    } else {
      for (const table of DATA_TABLES) {
        const [row] = await rowsOf(conn, `SELECT EXISTS (SELECT 1 FROM \`${table}\`) AS any_`);
        if (Number(row?.any_) === 1) {
          throw new SeedRefusedError(
            `${database} already holds data that seed-large did not generate (table ${table} is not empty); use an empty or new database`,
          );
        }
      }
      await conn.query(PROGRESS_DDL);
      state = await seedBase(main, method, options, target, rows, progress);
    }
    state.target = target;
    const world = await loadWorld(conn, state);
    while (workers.length < parallel) workers.push(await openSession(options.databaseUrl));

    // InnoDB re-samples a table's statistics each time a tenth of it changed; during a load that grows tables from
    // nothing, that background work costs as much CPU as the load itself. Off for our tables while loading (a
    // metadata-only table option, put back below, or by the next run if this one is killed), then one ANALYZE.
    recalcOff = true;
    await setStatsAutoRecalc(conn, false);
    if (target > state.done)
      progress.log(
        `seed-large: loading ${fmtInt(target - state.done)} patients with their records by ${method === 'load-data' ? 'LOAD DATA LOCAL INFILE' : 'multi-row INSERT'} on ${workers.length} connection(s)`,
      );

    const patientsBefore = state.done;
    let plannedRows = 0;
    let plannedPatients = 0;
    for (;;) {
      if (!state.chunk) {
        if (state.done >= target) break;
        state.chunk = { patients: Math.min(chunkPatients, target - state.done), target, tablesDone: 0 };
        await saveProgress(conn, state);
      }
      const chunk = state.chunk;
      const plan = planChunk({ ...world, target: chunk.target }, state.next.patient, chunk.patients, { ...state.next });
      const pending = CLINICAL_TABLES.filter((t) => !(chunk.tablesDone & tableBit(t)));
      plannedPatients += chunk.patients;
      plannedRows += CLINICAL_TABLES.reduce((sum, t) => sum + plan.rows[t], 0);
      const perPatient = plannedRows / plannedPatients;
      progress.setEstimate(
        progress.rowCount + pending.reduce((sum, t) => sum + plan.rows[t], 0) + (target - state.done - chunk.patients) * perPatient,
      );

      // Biggest tables first, each on the next free connection; each table is one transaction with its kept count
      // and its bit in the progress row.
      const queue = [...pending].sort((a, b) => plan.rows[b] - plan.rows[a]);
      let failure: unknown = null;
      await Promise.all(
        workers.map(async (session) => {
          for (let table = queue.shift(); table && failure === null; table = queue.shift()) {
            const t0 = Date.now();
            try {
              await session.conn.query('START TRANSACTION');
              const n = await loadRows(session.conn, method, table, GENERATORS[table](world, plan), (k) => progress.add(k));
              if (n !== plan.rows[table]) throw new Error(`Generated ${n} ${table} rows, planned ${plan.rows[table]}`);
              const kind = COUNT_KIND[table];
              if (kind) await bumpCount(session.db, kind, n, 0); // slot 0: the same data on every run
              await session.conn.query('UPDATE seed_progress SET chunk_tables_done = chunk_tables_done | ?, updated_at = ? WHERE id = 1', [
                tableBit(table),
                ts(Date.now()),
              ]);
              await options.beforeTableCommit?.({ table, firstPatientId: plan.firstPatientId });
              await session.conn.query('COMMIT');
              rows[table] += n;
              const took = Date.now() - t0;
              progress.log(
                `seed-large: ${table}: ${fmtInt(n)} rows committed in ${fmtDuration(took)} (${fmtRate(n / Math.max(took / 1000, 0.001))} rows/s)`,
              );
            } catch (err) {
              await session.conn.query('ROLLBACK').catch(() => undefined);
              if (failure === null) {
                failure = err;
                // Stop the other loads now rather than when they finish: the server rolls them back.
                for (const other of workers) if (other !== session) other.conn.destroy();
              }
            }
          }
        }),
      );
      if (failure !== null) {
        progress.finish();
        throw failure;
      }

      state.done += chunk.patients;
      state.next = {
        patient: state.next.patient + chunk.patients,
        consultation: state.next.consultation + plan.rows.consultations,
        prescription: state.next.prescription + plan.rows.prescriptions,
        prescriptionDrug: state.next.prescriptionDrug + plan.rows.prescription_drugs,
        vital: state.next.vital + plan.rows.vitals,
        nurseNote: state.next.nurseNote + plan.rows.nurse_notes,
      };
      state.chunk = null;
      await saveProgress(conn, state, state.done >= target);
      progress.log(
        `seed-large: patients ${fmtInt(plan.firstPatientId)}–${fmtInt(plan.firstPatientId + chunk.patients - 1)} and their records committed (${fmtInt(state.done)} of ${fmtInt(target)})`,
      );
    }
    progress.finish();

    // One audit event for the whole run (the bulk rows themselves are not audited), and fresh optimizer
    // statistics: the tables grew from nothing in minutes.
    const [admin] = await rowsOf(conn, 'SELECT id FROM staff WHERE username = ?', [DEMO_USERNAMES.admin]);
    await audit(
      db,
      { clock: systemClock, ip: null, actor: admin ? { id: Number(admin.id) } : null },
      {
        action: 'create',
        entityType: 'patient',
        detail: `bulk seed: ${fmtInt(state.done - patientsBefore)} patients${rows.drugs ? `, ${fmtInt(rows.drugs)} drugs with ${fmtInt(rows.drug_lots)} lots` : ''} (seed-large, seed ${state.seed})`,
      },
    );
    await setStatsAutoRecalc(conn, true);
    recalcOff = false;
    for (const table of DATA_TABLES) await conn.query(`ANALYZE TABLE \`${table}\``);

    const ms = Date.now() - started;
    const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
    progress.log(`seed-large: done in ${fmtDuration(ms)}: ${fmtInt(total)} rows (${fmtRate(total / (ms / 1000))} rows/s)`);
    return { status: 'seeded', patientsTotal: state.done, rows, heavyPatientId: state.heavyPatientId, seed: state.seed, ms, method };
  } finally {
    if (recalcOff) await setStatsAutoRecalc(conn, true).catch(() => undefined);
    for (const session of [...workers, main]) await session.conn.end().catch(() => undefined);
  }
}

/** Staff, drugs and the progress row: one transaction on an empty database. */
async function seedBase(
  { conn, db }: Session,
  method: 'load-data' | 'insert',
  options: SeedLargeOptions,
  target: number,
  rows: Record<TableName, number>,
  progress: Progress,
): Promise<ProgressRow> {
  const seed = options.seed ?? 42;
  const epochMs = options.nowMs ?? Date.now();
  const r = mulberry32(mix(seed, 0, S_BASE));
  progress.log('seed-large: hashing the demo password (argon2id)…');
  const demoHashes = {} as Record<Role, string>;
  for (const role of Object.keys(DEMO_USERNAMES) as Role[]) demoHashes[role] = await hashPassword(options.demoPassword);
  const sharedHash = await hashPassword(options.demoPassword);

  const firstStaffId = await nextIdOf(conn, 'staff');
  const firstPatientId = await nextIdOf(conn, 'patients');
  const drugs = options.drugs ?? DRUG_SPECS.length;
  const state: ProgressRow = {
    seed,
    target,
    done: 0,
    heavyPatientId: firstPatientId,
    epochMs,
    next: { patient: firstPatientId, consultation: 1, prescription: 1, prescriptionDrug: 1, vital: 1, nurseNote: 1 },
    chunk: null,
    formularyDrugs: drugs,
  };

  await conn.query('START TRANSACTION');
  try {
    const uncounted = () => undefined;
    rows.staff = await loadRows(conn, method, 'staff', staffRows(r, firstStaffId, epochMs, demoHashes, sharedHash), uncounted);
    await loadFormulary(conn, method, await formularyOf(conn, state, 0, drugs, options.lots ?? null), rows);
    // Every kind gets its row now, so the parallel loads later only ever update existing rows.
    for (const kind of STAT_KINDS) await bumpCount(db, kind, kind === 'staff' ? rows.staff : kind === 'drugs' ? rows.drugs : 0, 0);
    const [assignments, values] = progressAssignments(state);
    await conn.query(`INSERT INTO seed_progress SET id = 1, ${assignments}, started_at = ?`, [...values, ts(Date.now())]);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return state;
}

/**
 * A formulary larger than the one generated so far (--drugs on a database seeded with fewer): the next items with
 * their lots, in one transaction with the kept count and the progress row. Returns whether it added any.
 */
async function extendFormulary(
  { conn, db }: Session,
  method: 'load-data' | 'insert',
  options: SeedLargeOptions,
  state: ProgressRow,
  rows: Record<TableName, number>,
  progress: Progress,
): Promise<boolean> {
  const from = state.formularyDrugs;
  const to = options.drugs ?? from;
  if (to <= from) return false;
  const [lots] = await rowsOf(conn, 'SELECT COUNT(*) AS n FROM drug_lots');
  const wantedLots = options.lots == null ? null : Math.max(0, options.lots - Number(lots?.n));
  await conn.query('START TRANSACTION');
  try {
    await loadFormulary(conn, method, await formularyOf(conn, state, from, to, wantedLots), rows);
    await bumpCount(db, 'drugs', to - from, 0);
    await conn.query('UPDATE seed_progress SET formulary_drugs = ?, updated_at = ? WHERE id = 1', [to, ts(Date.now())]);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  state.formularyDrugs = to;
  progress.log(`seed-large: formulary grown from ${fmtInt(from)} to ${fmtInt(to)} drugs (${fmtInt(rows.drug_lots)} lots added)`);
  return true;
}
