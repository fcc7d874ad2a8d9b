/** The formulary: drugs with their lots, and each lot's opening movement in the stock ledger. */
import { formularySpec, type DrugSpec } from './drug-catalogue';
import type { TableName } from './model';
import { S_FORMULARY } from './plan';
import type { ProgressRow } from './progress';
import { clamp, DAY, dayStr, digits, HOUR, int, mix, mulberry32, NULL, pick, ts, weighted, YEAR, type Rng } from './random';
import { loadRows, nextIdOf, rowsOf, type Conn } from './writer';

interface LotPlan {
  lotNumber: string;
  expiryDay: number;
  quantity: number;
  receivedMs: number;
  pharmacist: number;
}

interface DrugPlan {
  spec: DrugSpec;
  reorder: number;
  pharmacist: number;
  createdMs: number;
  updatedMs: number;
  version: number;
  /** In receipt order, which is the order of their ids and of their movements. */
  lots: LotPlan[];
}

/** Formulary items with the ids they are written with. */
export interface Formulary {
  firstDrugId: number;
  firstLotId: number;
  firstMovementId: number;
  drugs: DrugPlan[];
}

const pickLotCount = weighted([
  [1, 45],
  [2, 35],
  [3, 20],
] as const);

/** Splits `total` into `weights.length` whole parts of at least `min` each, in proportion to the weights. */
function split(total: number, weights: number[], min: number): number[] {
  const extra = Math.max(0, total - min * weights.length);
  const sum = weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  let given = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((extra * cumulative) / sum);
    const part = min + upTo - given;
    given = upTo;
    return part;
  });
}

/** A batch number as printed on the pack, in one of the forms makers use, from its date of manufacture. */
function lotNumberOf(r: Rng, style: number, code: string, madeDay: number): string {
  const made = dayStr(madeDay);
  const yy = made.slice(2, 4);
  const mm = made.slice(5, 7);
  if (style === 0) return `${code}${yy}${mm}${digits(r, 3)}`;
  if (style === 1) return `B${yy}${digits(r, 5)}`;
  return `${yy}${mm}${made.slice(8, 10)}${String.fromCharCode(65 + int(r, 0, 25))}`;
}

/**
 * Formulary items [from, to): each drug's reorder level and lots. A few drugs have none (never received); the others
 * have 1–3 lots, or, when `lots` is given, `lots` lots in all over the items in stock (at least one each). A lot's
 * expiry is within two years, a few already past (expired stock still on the shelf); it was made two to three years
 * before its expiry and received weeks later. Depends only on the seed, `from`, `to` and `lots`.
 */
function planFormulary(seed: number, epochMs: number, from: number, to: number, lots: number | null, pharmacists: number[]): DrugPlan[] {
  const r = mulberry32(mix(seed, from, S_FORMULARY));
  const stockedFrom = epochMs - 5 * YEAR - 30 * DAY;
  const today = Math.floor(epochMs / DAY);
  const drugs = Array.from({ length: to - from }, (_, k) => ({
    spec: formularySpec(from + k),
    reorder: pick(r, [10, 20, 50, 100, 200]),
    pharmacist: pick(r, pharmacists),
    createdMs: stockedFrom + r() * 20 * DAY,
    updatedMs: epochMs - r() * 30 * DAY,
    version: int(r, 2, 40),
    inStock: r() >= 0.03,
    low: r() < 0.08,
    weight: 0.3 + r() * 1.4,
  }));
  const stocked = drugs.filter((d) => d.inStock);
  const counts =
    lots == null
      ? stocked.map(() => pickLotCount(r))
      : split(
          lots,
          stocked.map((d) => d.weight),
          1,
        );
  const lotCount = new Map(stocked.map((d, k) => [d, counts[k]!]));
  return drugs.map(({ inStock: _, low, weight: __, ...d }, k) => {
    const n = lotCount.get(drugs[k]!) ?? 0;
    // A drug below its reorder level has what is left of its lots; any other lot holds up to 15 reorder levels.
    const quantities = low
      ? split(
          int(r, n, Math.max(n, d.reorder)),
          Array.from({ length: n }, () => 0.2 + r()),
          1,
        )
      : Array.from({ length: n }, () => int(r, Math.ceil(d.reorder / 2), d.reorder * 15));
    const expiries = Array.from({ length: n }, () => today + (r() < 0.04 ? -int(r, 1, 120) : int(r, 1, 730))).sort((a, b) => a - b);
    const code = d.spec.genericName
      .replace(/[^a-z]/g, '')
      .slice(0, 3)
      .toUpperCase();
    const style = int(r, 0, 2);
    const numbers = new Set<string>();
    const drugLots = expiries.map((expiryDay, j): LotPlan => {
      const madeDay = expiryDay - int(r, 730, 1095);
      let lotNumber = lotNumberOf(r, style, code, madeDay);
      while (numbers.has(lotNumber)) lotNumber = lotNumberOf(r, style, code, madeDay);
      numbers.add(lotNumber);
      const receivedMs = clamp((madeDay + int(r, 14, 150)) * DAY + r() * 10 * HOUR, d.createdMs + DAY, epochMs - DAY + r() * 12 * HOUR);
      return { lotNumber, expiryDay, quantity: quantities[j]!, receivedMs, pharmacist: pick(r, pharmacists) };
    });
    return { ...d, lots: drugLots.sort((a, b) => a.receivedMs - b.receivedMs) };
  });
}

function* formularyDrugRows(f: Formulary): Generator<string> {
  let id = f.firstDrugId;
  for (const d of f.drugs) {
    const s = d.spec;
    const stock = d.lots.reduce((sum, l) => sum + l.quantity, 0);
    // The nearest expiry of the lots with stock, as the ledger keeps it (every generated lot has stock).
    const expiry = d.lots.length ? dayStr(Math.min(...d.lots.map((l) => l.expiryDay))) : NULL;
    yield `${id++}\t${s.name}\t${s.genericName}\t${s.brand ?? NULL}\t${s.formulation}\t${s.strength}\t${s.route}\t${stock}\t${d.reorder}\t${expiry}\t${s.atcCodes}\t${ts(d.createdMs)}\t${ts(d.updatedMs)}\t${d.pharmacist}\t${d.pharmacist}\t${d.version}\n`;
  }
}

function* formularyLotRows(f: Formulary): Generator<string> {
  let id = f.firstLotId;
  let drugId = f.firstDrugId;
  for (const d of f.drugs) {
    for (const l of d.lots) {
      const at = ts(l.receivedMs);
      yield `${id++}\t${drugId}\t${l.lotNumber}\t${dayStr(l.expiryDay)}\t${l.quantity}\t${at}\t${at}\t${l.pharmacist}\t${l.pharmacist}\t1\n`;
    }
    drugId++;
  }
}

/** Each lot's opening movement, with the drug's running balance after it (lots in receipt order). */
function* formularyMovementRows(f: Formulary): Generator<string> {
  let id = f.firstMovementId;
  let lotId = f.firstLotId;
  let drugId = f.firstDrugId;
  for (const d of f.drugs) {
    let balance = 0;
    for (const l of d.lots) {
      balance += l.quantity;
      yield `${id++}\t${drugId}\t${lotId++}\topening\t${l.quantity}\t${balance}\t${l.quantity}\t${ts(l.receivedMs)}\t${l.pharmacist}\n`;
    }
    drugId++;
  }
}

/** The three tables of the formulary, in the caller's transaction. */
export async function loadFormulary(
  conn: Conn,
  method: 'load-data' | 'insert',
  f: Formulary,
  rows: Record<TableName, number>,
): Promise<void> {
  const uncounted = () => undefined;
  rows.drugs += await loadRows(conn, method, 'drugs', formularyDrugRows(f), uncounted);
  rows.drug_lots += await loadRows(conn, method, 'drug_lots', formularyLotRows(f), uncounted);
  rows.stock_movements += await loadRows(conn, method, 'stock_movements', formularyMovementRows(f), uncounted);
}

/** Formulary items [from, to) planned, with the next free ids of their three tables. */
export async function formularyOf(conn: Conn, state: ProgressRow, from: number, to: number, lots: number | null): Promise<Formulary> {
  const [ph] = await rowsOf(conn, "SELECT GROUP_CONCAT(id ORDER BY id) AS ids FROM staff WHERE role = 'pharmacist'");
  const pharmacists = String(ph?.ids).split(',').map(Number);
  return {
    firstDrugId: await nextIdOf(conn, 'drugs'),
    firstLotId: await nextIdOf(conn, 'drug_lots'),
    firstMovementId: await nextIdOf(conn, 'stock_movements'),
    drugs: planFormulary(state.seed, state.epochMs, from, to, lots, pharmacists),
  };
}
