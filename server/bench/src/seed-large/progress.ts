/**
 * Progress and resume: the progress row of seed_progress (a bench-only table, not in the schema) that says what has
 * been generated, and the report on stderr (a bar on a terminal, a line every 10 s elsewhere).
 */
import { CLINICAL_TABLES, type ClinicalTable } from './model';
import type { NextIds } from './plan';
import { P2, ts } from './random';
import { rowsOf, type Conn } from './writer';

export const PROGRESS_DDL = `CREATE TABLE IF NOT EXISTS seed_progress (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  seed BIGINT NOT NULL,
  target_patients BIGINT NOT NULL,
  patients_done BIGINT NOT NULL,
  heavy_patient_id BIGINT UNSIGNED NOT NULL,
  epoch_ms BIGINT NOT NULL,
  next_patient_id BIGINT UNSIGNED NOT NULL,
  next_consultation_id BIGINT UNSIGNED NOT NULL,
  next_prescription_id BIGINT UNSIGNED NOT NULL,
  next_prescription_drug_id BIGINT UNSIGNED NOT NULL,
  next_vital_id BIGINT UNSIGNED NOT NULL,
  next_nurse_note_id BIGINT UNSIGNED NOT NULL,
  chunk_patients BIGINT NOT NULL DEFAULT 0 COMMENT 'patients of the chunk in progress (from next_patient_id); 0: none',
  chunk_target BIGINT NOT NULL DEFAULT 0 COMMENT 'the target its registration dates were spread for',
  chunk_tables_done INT NOT NULL DEFAULT 0 COMMENT 'bit per table of the chunk already committed',
  formulary_drugs BIGINT NOT NULL DEFAULT 0 COMMENT 'formulary items generated (drugs, with their lots)',
  started_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='seed-large: what has been generated (bench only, not in the schema)'`;

interface Chunk {
  patients: number;
  target: number;
  tablesDone: number;
}

export interface ProgressRow {
  seed: number;
  target: number;
  done: number;
  heavyPatientId: number;
  epochMs: number;
  /** Ids where the next chunk (or the one in progress) starts. */
  next: NextIds;
  chunk: Chunk | null;
  /** Formulary items generated: the next extension starts at this item. */
  formularyDrugs: number;
}

const NEXT_COLUMNS: Record<keyof NextIds, string> = {
  patient: 'next_patient_id',
  consultation: 'next_consultation_id',
  prescription: 'next_prescription_id',
  prescriptionDrug: 'next_prescription_drug_id',
  vital: 'next_vital_id',
  nurseNote: 'next_nurse_note_id',
};
export const NEXT_TABLES: Record<keyof NextIds, ClinicalTable> = {
  patient: 'patients',
  consultation: 'consultations',
  prescription: 'prescriptions',
  prescriptionDrug: 'prescription_drugs',
  vital: 'vitals',
  nurseNote: 'nurse_notes',
};
export const tableBit = (table: ClinicalTable) => 1 << CLINICAL_TABLES.indexOf(table);

export async function readProgress(conn: Conn): Promise<ProgressRow | null> {
  const [exists] = await rowsOf(
    conn,
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'seed_progress'",
  );
  if (Number(exists?.n) === 0) return null;
  const [row] = await rowsOf(conn, 'SELECT * FROM seed_progress WHERE id = 1');
  if (!row) return null;
  if (row.chunk_patients === undefined) {
    // A progress table from before chunks were resumable table by table (finished runs only).
    await conn.query(`ALTER TABLE seed_progress ADD COLUMN chunk_patients BIGINT NOT NULL DEFAULT 0,
      ADD COLUMN chunk_target BIGINT NOT NULL DEFAULT 0, ADD COLUMN chunk_tables_done INT NOT NULL DEFAULT 0`);
  }
  if (row.formulary_drugs === undefined) {
    // Runs before the formulary could grow generated the catalogue alone: every drug is one of its items.
    const [drugs] = await rowsOf(conn, 'SELECT COUNT(*) AS n FROM drugs');
    await conn.query('ALTER TABLE seed_progress ADD COLUMN formulary_drugs BIGINT NOT NULL DEFAULT 0');
    await conn.query('UPDATE seed_progress SET formulary_drugs = ? WHERE id = 1', [Number(drugs?.n)]);
    row.formulary_drugs = Number(drugs?.n);
  }
  const next = Object.fromEntries(Object.entries(NEXT_COLUMNS).map(([k, c]) => [k, Number(row[c])])) as unknown as NextIds;
  const chunkPatients = Number(row.chunk_patients);
  return {
    seed: Number(row.seed),
    target: Number(row.target_patients),
    done: Number(row.patients_done),
    heavyPatientId: Number(row.heavy_patient_id),
    epochMs: Number(row.epoch_ms),
    next,
    chunk:
      chunkPatients > 0 ? { patients: chunkPatients, target: Number(row.chunk_target), tablesDone: Number(row.chunk_tables_done) } : null,
    formularyDrugs: Number(row.formulary_drugs),
  };
}

/** `col = ?, …` and the values for the whole progress row. */
export function progressAssignments(p: ProgressRow): [string, unknown[]] {
  const cols = [
    'seed',
    'target_patients',
    'patients_done',
    'heavy_patient_id',
    'epoch_ms',
    ...Object.values(NEXT_COLUMNS),
    'chunk_patients',
    'chunk_target',
    'chunk_tables_done',
    'formulary_drugs',
    'updated_at',
  ];
  const values = [
    p.seed,
    p.target,
    p.done,
    p.heavyPatientId,
    p.epochMs,
    ...Object.keys(NEXT_COLUMNS).map((k) => p.next[k as keyof NextIds]),
    p.chunk?.patients ?? 0,
    p.chunk?.target ?? 0,
    p.chunk?.tablesDone ?? 0,
    p.formularyDrugs,
    ts(Date.now()),
  ];
  return [cols.map((c) => `${c} = ?`).join(', '), values];
}

export async function saveProgress(conn: Conn, p: ProgressRow, finished = false): Promise<void> {
  const [assignments, values] = progressAssignments(p);
  await conn.query(`UPDATE seed_progress SET ${assignments}, finished_at = ? WHERE id = 1`, [...values, finished ? ts(Date.now()) : null]);
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtRate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${P2[m]}m` : m ? `${m}m${P2[s % 60]}s` : `${s}s`;
}

/** A bar redrawn in place on a terminal; on anything else a line every 10 s. */
export class Progress {
  private rows = 0;
  private estimate = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();
  private readonly tty: boolean;
  constructor(private readonly out: NodeJS.WritableStream | null) {
    this.tty = Boolean(out && (out as NodeJS.WriteStream).isTTY);
  }
  log(line: string) {
    if (!this.out) return;
    if (this.drawn) this.out.write('\r\x1b[K');
    this.out.write(`${line}\n`);
    this.drawn = false;
  }
  setEstimate(rows: number) {
    this.estimate = rows;
  }
  add(rows: number) {
    this.rows += rows;
    this.draw();
  }
  get rowCount() {
    return this.rows;
  }
  finish() {
    if (this.out && this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
  private draw() {
    if (!this.out) return;
    const now = Date.now();
    // A terminal gets 4 redraws a second, a log a line every 10 s.
    if (now - this.lastDraw < (this.tty ? 250 : 10_000)) return;
    this.lastDraw = now;
    const elapsed = now - this.started;
    const rate = this.rows / Math.max(elapsed / 1000, 0.001);
    const total = Math.max(this.estimate, this.rows);
    const frac = total ? this.rows / total : 0;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const text = `${(frac * 100).toFixed(1).padStart(5)}%  ${fmtInt(this.rows)}/${fmtInt(total)} rows  ${fmtRate(rate)} rows/s  ETA ${fmtDuration(eta)}`;
    if (this.tty) {
      const width = 24;
      const full = Math.round(frac * width);
      this.out.write(`\r\x1b[K[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${text}`);
      this.drawn = true;
    } else {
      this.out.write(`seed-large: ${text}\n`);
    }
  }
}
