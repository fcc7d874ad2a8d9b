/**
 * Every message a person can get from an input schema is in a clinician's words: it names the field by its label,
 * never by its code name, and never shows zod's default text. Walks every input schema in shared/ with bad values
 * of each kind for each of its fields.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as shared from '../src';
import {
  fieldLabel,
  FIELD_LABELS,
  numberFromText,
  optionLabel,
  PatientCreateInput,
  PrescriptionCreateInput,
  StaffCreateInput,
  StaffUpdateInput,
  VITAL_FIELDS,
  VITAL_LIMITS,
  VitalCreateInput,
  DrugCreateInput,
  StockAdjustmentInput,
  StockReceiptInput,
} from '../src';

type Schema = z.ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  element?: Schema;
  options?: Schema[];
  shape?: Record<string, Schema>;
  format?: string;
  checks?: { _zod: { def: { check: string; maximum?: number; value?: number; format?: string } } }[];
}
const defOf = (s: Schema) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Input schemas: every exported zod object whose name says it is an input or a reference. */
const INPUT_SCHEMAS = Object.entries(shared)
  .filter(([name, value]) => /(Input|Ref)$/.test(name) && typeof (value as { safeParse?: unknown }).safeParse === 'function')
  .map(([name, value]) => [name, value as Schema] as const)
  .filter(([, schema]) => defOf(schema).type === 'object');

/** Peels optional/nullable/default/pipe wrappers off a field to find what kind of value it wants. */
function core(s: Schema): Def {
  let d = defOf(s);
  for (let i = 0; i < 10; i++) {
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type))
      d = defOf(d.innerType);
    else if (d.type === 'pipe' && d.in) d = defOf(defOf(d.in).type === 'transform' ? d.out! : d.in);
    else break;
  }
  return d;
}

function maxLength(d: Def): number {
  const max = d.checks?.map((c) => c._zod.def).find((c) => c.check === 'max_length')?.maximum;
  return max ?? 20_000;
}

const WRONG_TYPES: unknown[] = [{ nested: true }, true, null];

/** Bad values for a field of this kind: too long, wrong type, out of range, bad enum, bad date, decimal comma … */
function badValues(d: Def): unknown[] {
  switch (d.type) {
    case 'string':
      if (d.format === 'date' || d.checks?.some((c) => c._zod.def.format === 'date'))
        return ['2024-02-30', 'yesterday', '31/12/2024', 20240101, ...WRONG_TYPES];
      return ['', '   ', 'x'.repeat(maxLength(d) + 1), '<script>!', 42, ...WRONG_TYPES];
    case 'number':
      return [-1, 0, 1.5, 1e12, 'abc', '37,5', '12.5', Number.NaN, '', ...WRONG_TYPES];
    case 'enum':
    case 'literal':
      return ['Robot', 'male', '', 7, ...WRONG_TYPES];
    case 'array':
      return ['not a list', [{ nested: true }], ['x'.repeat(1000)], Array.from({ length: 200 }, () => 'x'), ...WRONG_TYPES];
    case 'union':
      return ['nope!', 'XYZ12', -3, 0, 1.5, ...WRONG_TYPES];
    default:
      return [...WRONG_TYPES, 'x'];
  }
}

/** A code name such as pulseRate (units such as mmHg are words, not code). */
const CAMEL_CASE = /\b(?!mmHg\b)[a-z]+[A-Z][A-Za-z]*\b/;
const ZOD_DEFAULTS = /expected|invalid input|invalid option|invalid string|too big|too small|received|NaN|undefined|\[object/i;

function checkIssues(schemaName: string, value: unknown, issues: readonly z.core.$ZodIssue[]) {
  for (const issue of issues) {
    const where = `${schemaName} ${JSON.stringify(value)?.slice(0, 60)} at ${issue.path.join('.')}: "${issue.message}"`;
    expect(issue.message, where).not.toMatch(CAMEL_CASE);
    expect(issue.message, where).not.toMatch(ZOD_DEFAULTS);
    expect(issue.message.length, where).toBeGreaterThan(5);
    expect(issue.message.toLowerCase(), where).toContain(fieldLabel(issue.path).toLowerCase());
  }
}

describe('every input schema speaks in labels', () => {
  it('finds the input schemas to walk', () => {
    expect(INPUT_SCHEMAS.map(([n]) => n)).toEqual(
      expect.arrayContaining(['PatientCreateInput', 'VitalCreateInput', 'DrugLineCreateInput', 'StaffUpdateInput', 'LoginInput']),
    );
  });

  it.each(INPUT_SCHEMAS)('%s: every field has a label', (_name, schema) => {
    for (const key of Object.keys(core(schema).shape ?? {})) expect(FIELD_LABELS, key).toHaveProperty(key);
  });

  it.each(INPUT_SCHEMAS)('%s: bad values of each kind give messages naming the label, in plain words', (name, schema) => {
    const shape = core(schema).shape ?? {};
    // Missing everything.
    const empty = schema.safeParse({});
    if (!empty.success) checkIssues(name, {}, empty.error.issues);
    // Not an object at all.
    for (const body of [[1, 2], 'text', 7, null]) {
      const r = schema.safeParse(body);
      expect(r.success).toBe(false);
      for (const issue of r.error!.issues) expect(issue.message, JSON.stringify(body)).not.toMatch(ZOD_DEFAULTS);
    }
    let checked = 0;
    for (const [key, field] of Object.entries(shape)) {
      const kind = core(field);
      for (const value of badValues(kind)) {
        const r = schema.safeParse({ [key]: value });
        if (!r.success) checkIssues(name, { [key]: value }, r.error.issues);
        // Nested list entries: a drug line with every field wrong.
        if (kind.type === 'array' && kind.element && core(kind.element).type === 'object') {
          const line = Object.fromEntries(Object.keys(core(kind.element).shape ?? {}).map((k) => [k, value]));
          const nested = schema.safeParse({ [key]: [line, line] });
          if (!nested.success) checkIssues(name, line, nested.error.issues);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

const messagesOf = (schema: Schema, value: unknown) => {
  const r = schema.safeParse(value);
  return Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
};

describe('the messages themselves', () => {
  it('says a required field is required, by its label', () => {
    expect(messagesOf(PatientCreateInput, {})).toMatchObject({ firstName: 'First name is required', dob: 'Date of birth is required' });
    expect(messagesOf(PatientCreateInput, { firstName: '  ' }).firstName).toBe('First name is required');
  });

  it('says how long a text may be', () => {
    expect(messagesOf(PatientCreateInput, { address: 'x'.repeat(256) }).address).toBe('Address can be at most 255 characters');
  });

  it('lists the allowed options in words', () => {
    expect(messagesOf(PatientCreateInput, { gender: 'Robot' }).gender).toBe('Sex must be Male or Female');
    expect(messagesOf(StaffCreateInput, { role: 'boss' }).role).toBe('Role must be Admin, Doctor, Nurse, Pharmacist or Record officer');
  });

  it('rejects a future date of birth and an impossible date in words', () => {
    expect(messagesOf(PatientCreateInput, { dob: '2999-01-01' }).dob).toBe('Date of birth must not be in the future');
    expect(messagesOf(PatientCreateInput, { dob: '1990-02-30' }).dob).toBe('Date of birth must be a real date, written as YYYY-MM-DD');
  });

  it('gives every vital sign its range and unit from VITAL_LIMITS', () => {
    for (const field of VITAL_FIELDS) {
      const { possible, unit, integer } = VITAL_LIMITS[field];
      const message = messagesOf(VitalCreateInput, { patientId: 1, [field]: possible[1] + 1 })[field];
      expect(message).toBe(`${FIELD_LABELS[field]} must be between ${possible[0]} and ${possible[1]}${unit === '%' ? '' : ' '}${unit}`);
      expect(messagesOf(VitalCreateInput, { patientId: 1, [field]: possible[0] - (integer ? 1 : 0.01) })[field]).toBe(message);
    }
    expect(messagesOf(VitalCreateInput, { patientId: 1, pulseRate: 400 }).pulseRate).toBe('Pulse must be between 1 and 300 beats/min');
  });

  it('meets a decimal comma with an explicit message, never NaN or a silent 375', () => {
    expect(VitalCreateInput.safeParse({ patientId: 1, temperature: '37,5' }).success).toBe(false);
    expect(messagesOf(VitalCreateInput, { patientId: 1, temperature: '37,5' }).temperature).toBe(
      'Temperature must be a number; use a decimal point, e.g. 37.5',
    );
    // What a form gets from Number("37,5").
    expect(messagesOf(VitalCreateInput, { patientId: 1, weightKg: Number('70,5') }).weightKg).toBe(
      'Weight must be a number; use a decimal point, e.g. 70.5',
    );
    expect(messagesOf(VitalCreateInput, { patientId: 1, pulseRate: '72,5' }).pulseRate).toBe('Pulse must be a whole number');
  });

  it('names the line of a nested field', () => {
    const m = messagesOf(PrescriptionCreateInput, {
      patientId: 1,
      consultationId: 1,
      lines: [{ drugId: 1, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 0 }, { drugId: 'x' }],
    });
    expect(m['lines.0.quantity']).toBe('Quantity (drug 1) must be a whole number between 1 and 100,000');
    expect(m['lines.1.drugId']).toBe('Drug 2 must be a record number such as 12');
    expect(m['lines.1.dose']).toBe('Dose (drug 2) is required');
  });

  it('reads a quantity of medicine as typed, or refuses it: never "1.000" as 1, "1e3" as 1000 or "0x14" as 20', () => {
    const line = (quantity: unknown) => ({ drugId: 1, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity });
    const parsed = (quantity: unknown) =>
      PrescriptionCreateInput.safeParse({ patientId: 1, consultationId: 1, lines: [line(quantity)] }).data?.lines[0]?.quantity;
    expect(parsed('1000')).toBe(1000);
    expect(parsed(' 30 ')).toBe(30);
    expect(parsed(30)).toBe(30);
    for (const typed of ['1.000', '1,000', '1e3', '0x14', '1 000', '', '1.5']) {
      expect(parsed(typed), typed).toBeUndefined();
      expect(
        messagesOf(PrescriptionCreateInput, { patientId: 1, consultationId: 1, lines: [line(typed)] })['lines.0.quantity'],
        typed,
      ).toMatch(/^Quantity \(drug 1\) (must be a whole number, written without separators \(1000, not 1,000 or 1\.000\)|is required)$/);
    }
    expect(
      StockReceiptInput.safeParse({ drugId: 1, lotNumber: 'A1', expiryDate: '2030-01-01', quantity: '1.000', supplier: 'X' }).success,
    ).toBe(false);
    expect(StockAdjustmentInput.safeParse({ drugId: 1, lotId: 1, quantity: '-3', reason: 'damage' }).data?.quantity).toBe(-3);
    expect(StockAdjustmentInput.safeParse({ drugId: 1, lotId: 1, quantity: '-3.000', reason: 'damage' }).success).toBe(false);
  });

  it('explains whole-number stock and record numbers', () => {
    expect(messagesOf(DrugCreateInput, { stockOnHand: 'lots' }).stockOnHand).toBe(
      'Stock on hand must be a whole number, written without separators (1000, not 1,000 or 1.000)',
    );
    expect(messagesOf(StaffUpdateInput, { id: 'nobody', version: 1 }).id).toMatch(/^Record number must be .*DOC0012/);
  });
});

describe('labels', () => {
  it('label nested paths with their entry', () => {
    expect(fieldLabel('lines.0.quantity')).toBe('Quantity (drug 1)');
    expect(fieldLabel(['lines', 1, 'drugId'])).toBe('Drug 2');
    expect(fieldLabel(['allergies', 2])).toBe('Allergy 3');
    expect(fieldLabel('spo2')).toBe('SpO₂');
    expect(fieldLabel('somethingNewId')).toBe('Something new');
    expect(fieldLabel([])).toBe('The input');
  });
  it('word enum values', () => {
    expect(optionLabel('recordofficer')).toBe('Record officer');
    expect(optionLabel('expiringSoon')).toBe('Expiring soon');
    expect(optionLabel('Female')).toBe('Female');
  });
  it('read a typed number without guessing at a decimal comma', () => {
    expect(numberFromText(' 37.5 ')).toBe(37.5);
    expect(numberFromText('')).toBeUndefined();
    expect(numberFromText('37,5')).toBe('37,5');
  });
});
