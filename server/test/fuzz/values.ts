/**
 * Values for the generated bad-input test: valid ones made from a procedure's JSON Schema (the same schema the OpenAPI
 * document publishes), and a catalogue of bad and borderline ones. Ids and versions of existing records are left as
 * placeholders (Ref, VersionRef) that the sender fills in at send time, so a valid body reaches the service.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../../src/trpc/introspect';

/** What a placeholder points at: a record of the fixtures (see world.ts). */
export type Kind =
  | 'patient'
  | 'consultation'
  | 'prescription'
  | 'line'
  | 'vital'
  | 'nurseNote'
  | 'drug'
  | 'lot'
  | 'movement'
  | 'staff'
  | 'victim'
  | 'token';

/** The id of a fixture record of this kind. */
export class Ref {
  constructor(readonly kind: Kind) {}
}
/** The current version of a fixture record of this kind (so an update is not refused as stale). */
export class VersionRef {
  constructor(readonly kind: Kind) {}
}
/** The current password of an account the test signs in as (auth.login, auth.changePassword). */
export class PasswordRef {
  constructor(readonly account: 'self' | 'loginVictim') {}
}
/** A JSON fragment sent as it is: numbers JavaScript cannot hold, NaN, deep nesting, __proto__ keys. */
export class Raw {
  constructor(readonly json: string) {}
}

/** JSON.stringify that writes Raw fragments verbatim. */
export function toJson(value: unknown): string | undefined {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Raw ? `\u0000raw${raws.push(v.json) - 1}\u0000` : v));
  return text?.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const daysFromNow = (min: number, max: number) => fc.integer({ min, max }).map((n) => isoDay(new Date(Date.now() + n * DAY)));

/** Fields whose valid values the schema alone does not describe well enough to get past the service. */
const VALID_BY_KEY: Record<string, fc.Arbitrary<unknown>> = {
  dob: daysFromNow(-365 * 120, -1),
  expiryDate: daysFromNow(1, 3000),
  email: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/), fc.nat(1e6)).map(([u, n]) => `${u}${n}@fuzz.example`),
  username: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{2,20}$/), fc.nat(1e6)).map(([u, n]) => `${u}${n}`),
  phoneNumber: fc.stringMatching(/^\+?[0-9]{6,15}$/),
  mrn: fc.nat(1e9).map((n) => `FZ-${n}`),
  from: daysFromNow(-3000, 0),
  to: daysFromNow(-3000, 30),
  lotNumber: fc.stringMatching(/^[A-Z0-9][A-Z0-9./-]{0,20}$/),
};

const stringArb = (s: JsonSchema) => {
  const min = Number(s.minLength ?? 0);
  const max = Math.min(Number(s.maxLength ?? 200), 200);
  if (typeof s.pattern === 'string' && !s.format) {
    return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= Number(s.maxLength ?? Infinity));
  }
  if (s.format === 'date') return daysFromNow(-3000, 3000);
  if (s.format === 'date-time') return fc.integer({ min: -3000, max: 30 }).map((n) => new Date(Date.now() + n * DAY).toISOString());
  // Mostly plain text; sometimes any Unicode (emoji, combining marks, right-to-left): valid all the same.
  const unit = fc.constantFrom<'grapheme-ascii' | 'grapheme'>('grapheme-ascii', 'grapheme-ascii', 'grapheme');
  return unit
    .chain((u) => fc.string({ unit: u, minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) }))
    .filter((v) => v.trim().length >= min && v.length <= Number(s.maxLength ?? Infinity));
};

/** A valid value of a JSON Schema (as far as the schema says); `refOf` turns id and version fields into placeholders. */
export function validValue(s: JsonSchema, key: string, refOf: (key: string) => unknown): fc.Arbitrary<unknown> {
  const ref = refOf(key);
  if (ref !== undefined) return fc.constant(ref);
  const byKey = VALID_BY_KEY[key];
  if (byKey && (s.type === 'string' || s.anyOf || s.format)) return byKey;
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.anyOf) {
    const branches = s.anyOf.filter((b) => b.type !== 'null').map((b) => validValue(b, key, refOf));
    const hasNull = s.anyOf.some((b) => b.type === 'null');
    return hasNull
      ? fc.oneof({ arbitrary: fc.oneof(...branches), weight: 5 }, { arbitrary: fc.constant(null), weight: 1 })
      : fc.oneof(...branches);
  }
  switch (s.type) {
    case 'string':
      return stringArb(s);
    case 'integer': {
      const min = s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : Number(s.minimum ?? -1e6);
      return fc.integer({ min, max: Math.min(Number(s.maximum ?? 1e6), 2 ** 31 - 1) });
    }
    case 'number':
      return fc
        .double({ min: Number(s.minimum ?? -1e6), max: Number(s.maximum ?? 1e6), noNaN: true, noDefaultInfinity: true })
        .map((n) => Math.round(n * 10) / 10);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = (s.items as JsonSchema | undefined) ?? {};
      return fc.array(validValue(items, key, refOf), {
        minLength: Number(s.minItems ?? 0),
        maxLength: Math.min(Number(s.maxItems ?? 3), 3),
      });
    }
    case 'object':
      return validObject(s, refOf);
    default:
      return fc.constant('x');
  }
}

/** Every required property, and each optional one half the time. */
export function validObject(s: JsonSchema, refOf: (key: string) => unknown): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, validValue(p, k, refOf)]));
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** n characters as a person (and the database) counts them: '😀' is one, though two UTF-16 units to zod. */
const repeat = (unit: string, n: number) => unit.repeat(n);

/** Characters that have broken servers: NUL, controls, lone surrogates, bidi overrides, zero width, astral planes. */
const nastyChar = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  '𝕏',
  'é',
  'e\u0301',
  'ß',
  'İ',
  '\\',
  '"',
  "'",
  '%',
  '_',
  '*',
  '<',
);

/** Strings that look like numbers to someone: NaN, Infinity, hex, exponents, other digits, padding, overflow. */
const numericStrings = fc.constantFrom(
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '1e3',
  '0x10',
  '0b11',
  '0o7',
  '1_000',
  '1,5',
  '1.5',
  '.5',
  '5.',
  ' 12 ',
  '\t7\n',
  '12abc',
  '+1',
  '-0',
  '00012',
  '٣',
  '１２',
  '9'.repeat(25),
  '-' + '9'.repeat(25),
  '2147483648',
  '9223372036854775808',
  '18446744073709551616',
  '',
);

/** Dates that cannot be, or that the columns cannot hold. */
const badDates = fc.constantFrom(
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-01-32',
  '0000-00-00',
  '0000-01-01',
  '1899-12-31',
  '9999-12-31',
  '10000-01-01',
  '-2024-01-01',
  '2024-1-1',
  '24-01-01',
  '2024/01/01',
  '01-02-2024',
  '2024-01-01T25:00:00Z',
  '2024-01-01T00:00:00+99:99',
  '2024-01-01T00:00:00.000000001Z',
  '1970-01-01T00:00:00Z',
  '2038-01-19T03:14:08Z',
  '2100-02-29',
  'today',
  'yesterday',
  '1e3',
  'P1D',
  '\u0032\u0030\u0032\u0034-01-01\u0000',
);

/** Integers at and past the limits of INT, UNSIGNED INT, BIGINT and a double's exact range, as JSON numbers. */
const limitNumbers = fc.constantFrom<unknown>(
  0,
  -1,
  -0,
  1.5,
  0.1,
  -2147483648,
  -2147483649,
  2147483647,
  2147483648,
  4294967295,
  4294967296,
  9007199254740991,
  9007199254740992,
  -9007199254740992,
  1e15,
  1e21,
  1e308,
  -1e308,
  5e-324,
  new Raw('9223372036854775807'),
  new Raw('9223372036854775808'),
  new Raw('18446744073709551616'),
  new Raw('1e400'),
  new Raw('-1e400'),
  new Raw('1E+2'),
  new Raw('0.0000000000000000000001'),
  new Raw('100000000000000000000000000000000000000000000'),
);

/** Values not valid JSON (the parser must refuse them, not the database). */
const notJson = fc.constantFrom(new Raw('NaN'), new Raw('Infinity'), new Raw('undefined'), new Raw("'x'"), new Raw('0x10'), new Raw('01'));

const deepArray = fc.integer({ min: 20, max: 5000 }).map((n) => new Raw('['.repeat(n) + ']'.repeat(n)));
const deepObject = fc.integer({ min: 20, max: 3000 }).map((n) => new Raw('{"a":'.repeat(n) + '1' + '}'.repeat(n)));
const protoPollution = fc.constantFrom(
  new Raw('{"__proto__":{"polluted":true,"role":"admin"}}'),
  new Raw('{"constructor":{"prototype":{"polluted":true}}}'),
  new Raw('{"__proto__":null}'),
  new Raw('{"toString":1,"valueOf":"x","hasOwnProperty":null}'),
);

const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', ' ', 'a\u0301'), fc.constantFrom(65, 129, 256, 513, 20_001, 70_000, 300_000))
  .map(([unit, n]) => repeat(unit, n));

const injection = fc.constantFrom(
  "' OR '1'='1",
  '1; DROP TABLE patients; --',
  '%',
  '%%',
  '_',
  '\\',
  '\\%',
  "\\'",
  '%00',
  '%u0000',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'DOC',
  'DOC0',
  'ADM' + '9'.repeat(15),
  'doc0001',
  'PHM0000000000000001',
);

/** Text with nasty characters, of every length up to a few hundred. */
const nastyText = fc.string({
  unit: fc.oneof(nastyChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  minLength: 1,
  maxLength: 300,
});

/** Bad or borderline values for a field of this schema: a broad catalogue, weighted towards the field's own kind. */
export function badValue(s: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const kinds = new Set<string>();
  const visit = (x: JsonSchema | undefined) => {
    if (!x) return;
    if (typeof x.type === 'string') kinds.add(x.type);
    if (x.enum) kinds.add('enum');
    if (x.format) kinds.add('date');
    x.anyOf?.forEach(visit);
  };
  visit(s);
  const specific: fc.Arbitrary<unknown>[] = [];
  const max = Number(s?.maxLength ?? s?.anyOf?.find((b) => b.maxLength)?.maxLength ?? NaN);
  if (kinds.has('string') && Number.isFinite(max)) {
    // Just past the limit, exactly at it in characters the database counts differently (astral planes), and padded.
    specific.push(
      fc.constantFrom(
        repeat('a', max + 1),
        repeat('😀', max),
        repeat('😀', Math.ceil(max / 2)),
        ' '.repeat(max + 1),
        `${' '.repeat(5)}${repeat('b', max)}`,
        repeat('e\u0301', max),
      ),
    );
  }
  if (kinds.has('integer') || kinds.has('number')) {
    const hi = Number(s?.maximum ?? s?.anyOf?.find((b) => b.maximum !== undefined)?.maximum ?? 1e6);
    const lo = Number(s?.minimum ?? s?.anyOf?.find((b) => b.minimum !== undefined)?.minimum ?? 0);
    specific.push(
      limitNumbers,
      fc.constantFrom(hi, hi + 1, lo, lo - 1, hi + 0.5, String(hi + 1), String(lo)),
      numericStrings,
      fc.integer(),
      fc.double(),
    );
  }
  if (kinds.has('enum')) {
    const values = (s?.enum ?? s?.anyOf?.find((b) => b.enum)?.enum ?? []) as unknown[];
    specific.push(
      fc.constantFrom(
        ...values.flatMap((v) => [String(v).toUpperCase(), ` ${String(v)}`, `${String(v)}\u0000`, String(v).slice(1)]),
        'unknown',
        'other',
        '',
      ),
    );
  }
  if (kinds.has('date')) specific.push(badDates);
  if (kinds.has('array'))
    specific.push(
      fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 51, maxLength: 60 }),
      fc.array(fc.constant({}), { maxLength: 5 }),
      fc.constant([null]),
    );
  const general = fc.oneof(
    fc.constantFrom<unknown>(null, true, false, [], {}, '', ' ', '\u0000', [1, 2], { a: 1 }, 0, -1),
    limitNumbers,
    numericStrings,
    badDates,
    injection,
    nastyText,
    hugeString,
    notJson,
    deepArray,
    deepObject,
    protoPollution,
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  return specific.length ? fc.oneof({ arbitrary: fc.oneof(...specific), weight: 3 }, { arbitrary: general, weight: 2 }) : general;
}

/** Cursors: random text, and well-formed base64url JSON of the wrong shape (what paging.ts decodes). */
export const badCursor: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%%%', '=', '', ' ', 'null', 'W10', 'e30', 'bnVsbA', 'x'.repeat(512), 'x'.repeat(513), '\u0000', '😀'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.oneof(
        fc.integer(),
        fc.double(),
        fc.string({ maxLength: 12 }),
        badDates,
        limitNumbers.filter((v) => typeof v === 'number'),
        fc.constant(null),
        fc.constant(true),
      ),
      { maxLength: 4 },
    )
    .map((values) => Buffer.from(JSON.stringify(values)).toString('base64url')),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
);

/** Bad path parameters: not a number, too big for any column, signs, fractions, encodings, traversal. */
export const badPathParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'abc',
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x1',
    '99999999999999999999',
    '9007199254740992',
    '2147483648',
    '18446744073709551616',
    ' 1',
    '1 ',
    '%20',
    '%00',
    '%2F',
    '%25',
    '..',
    '.',
    '%E0%A4%A',
    '%C0%AF',
    'NaN',
    'Infinity',
    'null',
    'true',
    '[]',
    '{}',
    'DOC0001x',
    'ADM',
    '١',
    `${'9'.repeat(400)}`,
    'x'.repeat(5000),
    '😀',
    '%F0%9F%98%80',
    '1;1',
    "1'",
    '1%27%20OR%201=1',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).map((v) => encodeURIComponent(v)),
);

/** Raw request bodies: malformed JSON, the wrong kind of JSON, BOMs, deep nesting, nothing at all. */
export const badRawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '[',
    '[1,2',
    'null',
    'true',
    '0',
    '-1',
    '"text"',
    '[]',
    '[{}]',
    '\ufeff{}',
    '{}\u0000',
    '{"a":1}{"b":2}',
    'undefined',
    'NaN',
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":01}',
    '{"a":1e99999}',
    '{"a":"\\ud800"}',
    '{"a":"\\u00"}',
    '{"__proto__":{"polluted":1}}',
    '{"a":1,"a":2}',
    'x'.repeat(1000),
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  deepArray.map((r) => r.json),
  deepObject.map((r) => r.json),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
);

/** Content types a JSON API should refuse or cope with. */
export const badContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json;charset=utf-16',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/merge-patch+json',
  '*/*',
  '',
  'application/json, text/plain',
);

/** Query strings that are broken as a whole (undecodable escapes, repeated and empty keys). */
export const badQueryTail: fc.Arbitrary<string> = fc.constantFrom(
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  'a=%',
  '=1',
  '&&&',
  'limit',
  'limit=',
  'limit=1&limit=2',
  'cursor[]=x',
  'cursor[a]=1',
  'q[]=a&q[]=b',
  'input=1',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  'batch=1',
  'batch=0',
  'limit=1;2',
  `q=${'%F0%9F%98%80'.repeat(200)}`,
);

/** A bearer token that is no token: empty, the wrong scheme, a lookalike, very long. */
export const badToken: fc.Arbitrary<string> = fc.constantFrom(
  'Bearer ',
  'Bearer x',
  'Bearer hmis_',
  `Bearer hmis_${'a'.repeat(43)}`,
  'Basic YWRtaW46YWRtaW4=',
  'bearer  hmis_x y',
  `Bearer ${'x'.repeat(5000)}`,
  'Bearer \u00e9',
  'Token abc',
);

/** If-Match values beside the version in the body. */
export const badIfMatch: fc.Arbitrary<string> = fc.constantFrom(
  '*',
  '"abc"',
  'W/"1"',
  '"-1"',
  '"0"',
  `"${'9'.repeat(12)}"`,
  '"1", "2"',
  '',
  'W/',
  '"1',
);
