/**
 * Validation messages in a clinician's words. One zod error map, installed globally when shared/ is loaded, so the
 * server (tRPC, REST, console) and the browser (forms validating with the same schemas) say the same thing:
 * "Pulse must be between 1 and 300 beats/min", "First name is required", never zod's defaults or a code name.
 * Each message names the field by its label (labels.ts) so it reads well beside the field and in a summary.
 * See docs/decisions/010-messages.md.
 */
import { z } from 'zod';
import { VITAL_LIMITS } from './constants';
import { decimalExample, fieldLabel, optionLabel } from './labels';

type Issue = z.core.$ZodRawIssue;
type Path = readonly PropertyKey[] | undefined;

interface CheckDef {
  check?: string;
  format?: string;
  value?: unknown;
  inclusive?: boolean;
}

/** The checks of the schema an issue belongs to (bounds, integer), to say a range rather than one side of it. */
function checksOf(iss: Issue): CheckDef[] {
  const owner = (iss.schema ?? iss.inst) as { _zod?: { def?: { checks?: { _zod: { def: CheckDef } }[] } } } | undefined;
  return owner?._zod?.def?.checks?.map((c) => c._zod.def) ?? [];
}

function isInteger(iss: Issue): boolean {
  if (iss.code === 'invalid_type' && iss.expected === 'int') return true;
  return checksOf(iss).some(
    (c) => c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32'),
  );
}

const lastKey = (path: Path) => (path?.length ? String(path[path.length - 1]) : '');

/** Record references (`id`, `patientId`, `drugId` …): positive whole numbers. */
const isReference = (path: Path) => /^(id|[a-z]+Id)$/.test(lastKey(path));

function unitOf(path: Path): string {
  const unit = (VITAL_LIMITS as Record<string, { unit: string }>)[lastKey(path)]?.unit;
  if (!unit) return '';
  return unit === '%' ? '%' : ` ${unit}`;
}

/** "A, B or C". */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** 100000 → "100,000" (whole numbers from 10,000 up; decimals as they are). */
const num = (n: number) => (Number.isInteger(n) && Math.abs(n) >= 10_000 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n));

/** "must be between 1 and 100000", "must be at least 0" … from the schema's own bounds. */
function numberRange(iss: Issue, label: string): string {
  let lo: number | undefined;
  let hi: number | undefined;
  let loOpen = false;
  let hiOpen = false;
  for (const c of checksOf(iss)) {
    if (c.check === 'greater_than' && typeof c.value === 'number') [lo, loOpen] = [c.value, c.inclusive === false];
    if (c.check === 'less_than' && typeof c.value === 'number') [hi, hiOpen] = [c.value, c.inclusive === false];
  }
  if (iss.code === 'too_small' && lo === undefined && typeof iss.minimum === 'number') [lo, loOpen] = [iss.minimum, !iss.inclusive];
  if (iss.code === 'too_big' && hi === undefined && typeof iss.maximum === 'number') [hi, hiOpen] = [iss.maximum, !iss.inclusive];
  const integer = isInteger(iss);
  // Whole numbers: "more than 0" is "at least 1".
  if (integer && lo !== undefined && loOpen) [lo, loOpen] = [Math.floor(lo) + 1, false];
  if (integer && hi !== undefined && hiOpen) [hi, hiOpen] = [Math.ceil(hi) - 1, false];
  const unit = unitOf(iss.path);
  const whole = integer ? 'a whole number ' : '';
  if (lo !== undefined && hi !== undefined && !loOpen && !hiOpen && hi < Number.MAX_SAFE_INTEGER) {
    return `${label} must be ${whole}between ${num(lo)} and ${num(hi)}${unit}`;
  }
  if (iss.code === 'too_big' && hi !== undefined) return `${label} must be ${hiOpen ? 'less than' : 'at most'} ${num(hi)}${unit}`;
  if (lo !== undefined) return `${label} must be ${loOpen ? 'more than' : 'at least'} ${num(lo)}${unit}`;
  return `${label} is out of range`;
}

function formatOf(iss: Issue): string | undefined {
  if (iss.code === 'invalid_format') return iss.format;
  return (iss.inst as { _zod?: { def?: { format?: string } } } | undefined)?._zod?.def?.format;
}

function formatMessage(label: string, format: string | undefined): string {
  switch (format) {
    case 'date':
      return `${label} must be a real date, written as YYYY-MM-DD`;
    case 'datetime':
      return `${label} must be a date and time, written as YYYY-MM-DDTHH:MM`;
    case 'email':
      return `${label} must be an email address such as name@example.com`;
    default:
      return `${label} is not in the right format`;
  }
}

const DECIMAL_COMMA = /^\s*[-+]?\d+,\d+\s*$/;
const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

function typeMessage(iss: Extract<Issue, { code: 'invalid_type' }>, label: string): string {
  const { input, expected } = iss;
  if (input === undefined || input === null) return `${label} is required`;
  if (expected === 'number' || expected === 'int') {
    if (isReference(iss.path)) return `${label} must be a record number such as 12`;
    if (isInteger(iss)) return `${label} must be a whole number`;
    if (typeof input === 'string' && DECIMAL_COMMA.test(input)) {
      return `${label} must be a number; use a decimal point, e.g. ${input.trim().replace(',', '.')}`;
    }
    if (typeof input === 'number' && Number.isNaN(input)) {
      // Often a decimal comma that Number() could not read ("37,5").
      return `${label} must be a number; use a decimal point, e.g. ${decimalExample(iss.path)}`;
    }
    if (typeof input === 'string' && NUMERIC_TEXT.test(input)) return `${label} must be sent as a number, not as text`;
    return `${label} must be a number`;
  }
  if (expected === 'string') {
    const format = formatOf(iss);
    return format ? formatMessage(label, format) : `${label} must be text`;
  }
  if (expected === 'array') return `${label} must be a list`;
  if (expected === 'boolean') return `${label} must be yes or no`;
  if (expected === 'object' && !iss.path?.length) return 'The input must be a JSON object of fields';
  return `${label} is not in the right form`;
}

/** The error map: every zod issue → a sentence naming the field's label. */
export function clinicalErrorMap(iss: Issue): string {
  const label = fieldLabel(iss.path);
  switch (iss.code) {
    case 'invalid_type':
      return typeMessage(iss, label);
    case 'too_small':
    case 'too_big': {
      const n = Number(iss.code === 'too_small' ? iss.minimum : iss.maximum);
      if (iss.origin === 'string') {
        if (iss.code === 'too_small') return n <= 1 ? `${label} is required` : `${label} must be at least ${plural(n, 'character')}`;
        return `${label} can be at most ${plural(n, 'character')}`;
      }
      if (iss.origin === 'array' || iss.origin === 'set') {
        return iss.code === 'too_small'
          ? `${label} must have at least ${plural(n, 'entry', 'entries')}`
          : `${label} can have at most ${plural(n, 'entry', 'entries')}`;
      }
      if (isReference(iss.path)) return `${label} must be a record number such as 12`;
      return numberRange(iss, label);
    }
    case 'invalid_format':
      if (iss.format === 'regex') return `${label} contains characters that are not allowed`;
      return formatMessage(label, iss.format);
    case 'invalid_value':
      if (iss.input === undefined || iss.input === null) return `${label} is required`;
      return `${label} must be ${orList(iss.values.map(optionLabel))}`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${iss.divisor}`;
    case 'unrecognized_keys':
      return `Not a field of this form: ${iss.keys.join(', ')}`;
    default:
      return `${label} is not valid`;
  }
}

/**
 * A message of our own that names the field's label, for checks whose wording a schema chooses (regex, refine):
 * `.regex(re, says((label) => `${label} may contain only letters`))`. The label comes from the issue's path, so a
 * building block used by several fields names each one.
 */
export function says(message: (label: string) => string) {
  return { error: (iss: { path?: PropertyKey[] | undefined }) => message(fieldLabel(iss.path)) };
}

z.config({ customError: clinicalErrorMap });
