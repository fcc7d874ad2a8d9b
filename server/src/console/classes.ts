/**
 * The classes the console knows and the procedures behind each command. The console has no logic of its own:
 * every command is a procedure call with the operator as the actor.
 */
import { ROLES, STOCK_WORDS, type Page, type Role, type StockMovementKind } from '@hmis/shared';
import type { Executor } from '../db/client';
import { countDrugLines, locate, type NestedKind } from '../services/locate';
import { countStock, lotDrugId } from '../services/stock';
import { AppError, notFound } from '../errors';

export type Call = (procedure: string, input?: unknown) => Promise<unknown>;
type Obj = Record<string, unknown>;

export interface ClassSpec {
  /** The procedure whose input schema describes `create` fields (for typing key=value arguments). */
  createProcedure?: string;
  create?(call: Call, db: Executor, fields: Obj): Promise<Obj>;
  show(call: Call, db: Executor, id: number | string): Promise<Obj>;
  update?(call: Call, db: Executor, id: number | string, fields: Obj): Promise<Obj>;
  destroy?(call: Call, db: Executor, id: number | string): Promise<void>;
  list(call: Call, db: Executor, args: Obj): Promise<Page<Obj>>;
  count(call: Call, db: Executor): Promise<number>;
  /** One line about an object, for lists. */
  summary(o: Obj): string;
}

const num = (id: number | string) => {
  const n = typeof id === 'number' ? id : Number(id);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new AppError('VALIDATION', 'The id must be a positive whole number', [{ path: 'id', message: 'Not an id' }]);
  return n;
};

const stats = async (call: Call, key: string) => Number(((await call('system.stats')) as Obj)[key] ?? 0);

/** Fills in the version from the current record when the operator did not give one. */
async function withVersion(fields: Obj, current: () => Promise<Obj>): Promise<Obj> {
  return fields.version === undefined ? { ...fields, version: (await current()).version } : fields;
}

function needs(args: Obj, key: string, cls: string): unknown {
  if (args[key] === undefined) throw new AppError('VALIDATION', `${cls}: give ${key}=… to list them`, [{ path: key, message: 'Required' }]);
  return args[key];
}

/** Records that live under a patient: located by id, then addressed under their patient. */
function nested(kind: NestedKind, proc: string, cls: string, summary: (o: Obj) => string, listArgs: (args: Obj) => Obj): ClassSpec {
  return {
    createProcedure: `${proc}.create`,
    create: async (call, _db, fields) => (await call(`${proc}.create`, fields)) as Obj,
    show: async (call, db, id) => {
      const { patientId } = await locate(db, kind, num(id));
      return (await call(`${proc}.get`, { patientId, id: num(id) })) as Obj;
    },
    update: async (call, db, id, fields) => {
      const { patientId } = await locate(db, kind, num(id));
      const input = await withVersion(fields, async () => (await call(`${proc}.get`, { patientId, id: num(id) })) as Obj);
      return (await call(`${proc}.update`, { ...input, patientId, id: num(id) })) as Obj;
    },
    destroy: async (call, db, id) => {
      const { patientId } = await locate(db, kind, num(id));
      await call(`${proc}.delete`, { patientId, id: num(id) });
    },
    list: async (call, _db, args) =>
      (await call(`${proc}.list`, { ...listArgs(args), patientId: needs(args, 'patientId', cls) })) as Page<Obj>,
    count: (call) => stats(call, kind === 'nurseNote' ? 'nurseNotes' : `${kind}s`),
    summary,
  };
}

function staffClass(role: Role | null): ClassSpec {
  const roles = role ? [role] : [...ROLES];
  return {
    createProcedure: 'staff.create',
    create: async (call, _db, fields) => (await call('staff.create', role ? { ...fields, role } : fields)) as Obj,
    show: async (call, _db, id) => {
      const s = (await call('staff.get', { id })) as Obj;
      if (role && s.role !== role) throw notFound('Staff member');
      return s;
    },
    update: async (call, _db, id, fields) => {
      const input = await withVersion(fields, async () => (await call('staff.get', { id })) as Obj);
      return (await call('staff.update', { ...input, id })) as Obj;
    },
    destroy: async (call, _db, id) => void (await call('staff.delete', { id })),
    list: async (call, _db, args) => {
      if (roles.length === 1) return (await call('staff.list', { ...args, role: roles[0] })) as Page<Obj>;
      // Every role: the first page of each (the console pages one role at a time with Doctor.all() etc.).
      const pages = await Promise.all(roles.map(async (r) => (await call('staff.list', { role: r, limit: args.limit })) as Page<Obj>));
      return { items: pages.flatMap((p) => p.items), nextCursor: null };
    },
    count: async (call) => {
      const counts = (await call('staff.counts')) as Record<Role, number>;
      return roles.reduce((n, r) => n + (counts[r] ?? 0), 0);
    },
    summary: (o) => `${o.staffNumber} ${o.fullName} (${o.role}, ${o.username})`,
  };
}

const consultationSummary = (o: Obj) =>
  `patient ${o.patientId} · ${String(o.createdAt).slice(0, 16)} · ${o.doctorName}: ${o.provisionalDiagnosis}`;

export const CLASSES: Record<string, ClassSpec> = {
  Patient: {
    createProcedure: 'patients.create',
    create: async (call, _db, fields) => (await call('patients.create', fields)) as Obj,
    show: async (call, _db, id) => (await call('patients.get', { id: num(id) })) as Obj,
    update: async (call, _db, id, fields) => {
      const input = await withVersion(fields, async () => (await call('patients.get', { id: num(id) })) as Obj);
      return (await call('patients.update', { ...input, id: num(id) })) as Obj;
    },
    destroy: async (call, _db, id) => void (await call('patients.delete', { id: num(id) })),
    list: async (call, _db, args) => (await call('patients.list', args)) as Page<Obj>,
    count: (call) => stats(call, 'patients'),
    summary: (o) => `${o.mrn} ${o.firstName} ${o.lastName} · ${o.gender} · born ${o.dob}${o.phoneNumber ? ` · ${o.phoneNumber}` : ''}`,
  },
  Staff: staffClass(null),
  Doctor: staffClass('doctor'),
  Nurse: staffClass('nurse'),
  Pharmacist: staffClass('pharmacist'),
  RecordOfficer: staffClass('recordofficer'),
  Admin: staffClass('admin'),
  Consultation: nested('consultation', 'consultations', 'Consultation', consultationSummary, (a) => a),
  Vital: nested(
    'vital',
    'vitals',
    'Vital',
    (o) => {
      const flags = Object.keys((o.flags as Obj) ?? {});
      return `patient ${o.patientId} · ${String(o.createdAt).slice(0, 16)} · pulse ${o.pulseRate ?? '–'} · BP ${o.systolicBp ?? '–'}/${o.diastolicBp ?? '–'} · T ${o.temperature ?? '–'}${flags.length ? ` · ABNORMAL: ${flags.join(', ')}` : ''}`;
    },
    (a) => a,
  ),
  NurseNote: nested(
    'nurseNote',
    'nurseNotes',
    'NurseNote',
    (o) => `patient ${o.patientId} · ${o.nurseName}: ${String(o.note).slice(0, 60)}`,
    (a) => a,
  ),
  Prescription: {
    createProcedure: 'prescriptions.create',
    create: async (call, _db, fields) => (await call('prescriptions.create', fields)) as Obj,
    show: async (call, db, id) => (await call('prescriptions.get', await locate(db, 'prescription', num(id)))) as Obj,
    update: async (call, db, id, fields) => {
      const where = await locate(db, 'prescription', num(id));
      const input = await withVersion(fields, async () => (await call('prescriptions.get', where)) as Obj);
      return (await call('prescriptions.update', { ...input, ...where })) as Obj;
    },
    destroy: async (call, db, id) => void (await call('prescriptions.delete', await locate(db, 'prescription', num(id)))),
    list: async (call, _db, args) => (await call('prescriptions.queue', args)) as Page<Obj>,
    count: (call) => stats(call, 'prescriptions'),
    summary: (o) =>
      `patient ${o.patientId} · consultation ${o.consultationId} · ${o.status} · ${(o.lines as Obj[]).map((l) => `${l.drugName} ×${l.quantity}`).join(', ') || 'no lines'}`,
  },
  PrescriptionDrug: {
    createProcedure: 'prescriptions.addLine',
    create: async (call, db, fields) => {
      // Either patientId + consultationId, or the prescriptionId the console shows.
      const { prescriptionId, ...rest } = fields;
      const where = prescriptionId !== undefined ? await locate(db, 'prescription', num(prescriptionId as number)) : {};
      return (await call('prescriptions.addLine', { ...rest, ...where })) as Obj;
    },
    show: async (call, db, id) => {
      const where = await locate(db, 'prescriptionDrug', num(id));
      const rx = (await call('prescriptions.get', where)) as { lines: Obj[] };
      const line = rx.lines.find((l) => l.id === num(id));
      if (!line) throw notFound('Drug line');
      return line;
    },
    update: async (call, db, id, fields) => {
      const where = await locate(db, 'prescriptionDrug', num(id));
      const input = await withVersion(fields, async () => {
        const rx = (await call('prescriptions.get', where)) as { lines: Obj[] };
        return rx.lines.find((l) => l.id === num(id)) ?? {};
      });
      return (await call('prescriptions.updateLine', { ...input, ...where, id: num(id) })) as Obj;
    },
    destroy: async (call, db, id) =>
      void (await call('prescriptions.deleteLine', { ...(await locate(db, 'prescriptionDrug', num(id))), id: num(id) })),
    list: async (call, db, args) => {
      const rx = (await call(
        'prescriptions.get',
        await locate(db, 'prescription', num(needs(args, 'prescriptionId', 'PrescriptionDrug') as number)),
      )) as { lines: Obj[] };
      return { items: rx.lines, nextCursor: null };
    },
    count: (_call, db) => countDrugLines(db),
    summary: (o) =>
      `prescription ${o.prescriptionId} · ${o.drugName} ${o.dose} ${o.frequency} for ${o.duration} (${o.route}) ×${o.quantity}`,
  },
  Drug: {
    createProcedure: 'drugs.create',
    create: async (call, _db, fields) => (await call('drugs.create', fields)) as Obj,
    show: async (call, _db, id) => (await call('drugs.get', { id: num(id) })) as Obj,
    update: async (call, _db, id, fields) => {
      const input = await withVersion(fields, async () => (await call('drugs.get', { id: num(id) })) as Obj);
      return (await call('drugs.update', { ...input, id: num(id) })) as Obj;
    },
    list: async (call, _db, args) => (await call('drugs.list', args)) as Page<Obj>,
    count: (call) => stats(call, 'drugs'),
    summary: (o) =>
      `${o.name} ${o.strength} ${o.formulation} (${o.route}) · stock ${o.stockOnHand}${o.belowReorderLevel ? ' · REORDER' : ''}`,
  },
};

/** A kind of stock movement: created through its procedure, shown and listed (per drug, drugId=) as movements. */
function movementClass(procedure: string | null, kind: StockMovementKind | null): ClassSpec {
  const cls = procedure ? CLASS_OF[procedure]! : 'StockMovement';
  return {
    ...(procedure && {
      createProcedure: procedure,
      create: async (call, _db, fields) => {
        const change = (await call(procedure, fields)) as { movements: Obj[]; stockOnHand: number };
        return { ...change.movements[0], stockOnHand: change.stockOnHand };
      },
    }),
    show: async (call, _db, id) => {
      const m = (await call('drugs.movement', { id: num(id) })) as Obj;
      if (kind && m.kind !== kind) throw notFound(cls);
      return m;
    },
    list: async (call, _db, args) => {
      const page = (await call('drugs.stockCard', { ...args, drugId: needs(args, 'drugId', cls) })) as Page<Obj>;
      return kind ? { ...page, items: page.items.filter((m) => m.kind === kind) } : page;
    },
    count: (_call, db) => countStock(db, kind ?? 'movements'),
    summary: (o) =>
      `drug ${o.drugId} · lot ${o.lotNumber} · ${String(o.at).slice(0, 16)} · ${STOCK_WORDS[o.kind as StockMovementKind]} ${Number(o.quantity) > 0 ? '+' : ''}${o.quantity} → ${o.balance}${o.reason ? ` (${o.reason})` : ''}${o.note ? ` · ${o.note}` : ''}`,
  };
}

const CLASS_OF: Record<string, string> = {
  'drugs.receive': 'StockReceipt',
  'drugs.adjust': 'StockAdjustment',
  'drugs.writeOff': 'StockWriteOff',
  'drugs.returnToStock': 'StockReturn',
};

Object.assign(CLASSES, {
  StockReceipt: movementClass('drugs.receive', 'receipt'),
  StockAdjustment: movementClass('drugs.adjust', 'adjustment'),
  StockWriteOff: movementClass('drugs.writeOff', 'write_off'),
  StockReturn: movementClass('drugs.returnToStock', 'return'),
  StockMovement: movementClass(null, null),
  DrugLot: {
    show: async (call, db, id) => {
      const lots = (await call('drugs.lots', { drugId: await lotDrugId(db, num(id)), includeEmpty: true })) as Obj[];
      const lot = lots.find((l) => l.id === num(id));
      if (!lot) throw notFound('Lot');
      return lot;
    },
    list: async (call, _db, args) => ({
      items: (await call('drugs.lots', { ...args, drugId: needs(args, 'drugId', 'DrugLot') })) as Obj[],
      nextCursor: null,
    }),
    count: (_call, db) => countStock(db, 'lots'),
    summary: (o) =>
      `${o.drugName} · lot ${o.lotNumber} · expires ${o.expiryDate ?? 'unknown'}${o.expiryStatus === 'expired' ? ' (EXPIRED)' : ''} · ${o.onHand} on hand`,
  },
} satisfies Record<string, ClassSpec>);

/** The procedure behind `update <Class>`, for typing key=value arguments. */
export const UPDATE_PROCEDURE: Record<string, string> = {
  Patient: 'patients.update',
  Consultation: 'consultations.update',
  Vital: 'vitals.update',
  NurseNote: 'nurseNotes.update',
  Prescription: 'prescriptions.update',
  PrescriptionDrug: 'prescriptions.updateLine',
  Drug: 'drugs.update',
  Staff: 'staff.update',
  Doctor: 'staff.update',
  Nurse: 'staff.update',
  Pharmacist: 'staff.update',
  RecordOfficer: 'staff.update',
  Admin: 'staff.update',
};

export const CLASS_NAMES = Object.keys(CLASSES);
