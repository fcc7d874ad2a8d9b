/**
 * Parsing console arguments: `key=value` pairs (quoted values may contain spaces) or a JSON object. Values are typed
 * by the procedure's own input schema, so `pulseRate=80` is a number and `phoneNumber=0803…` stays a string.
 */
import { AppError } from '../errors';
import { inputJsonSchema, type JsonSchema } from '../trpc/introspect';

type Obj = Record<string, unknown>;

/** Splits on spaces, keeping "double" or 'single' quoted runs together (quotes removed). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g;
  for (const m of text.matchAll(re)) words.push(unquote(m[0]));
  return words;
}

function unquote(word: string): string {
  return word.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_m, d: string | undefined, s: string | undefined) =>
    d !== undefined ? d.replace(/\\(.)/g, '$1') : (s ?? ''),
  );
}

function typesOf(prop: JsonSchema | undefined): string[] {
  if (!prop) return [];
  const own = Array.isArray(prop.type) ? prop.type : prop.type ? [prop.type] : [];
  return [...own, ...(prop.anyOf ?? []).flatMap(typesOf)];
}

/** Types one raw value by the schema of its field. Unparseable values stay strings; validation then names the field. */
export function typed(raw: string, prop: JsonSchema | undefined): unknown {
  const types = typesOf(prop);
  if (raw === 'null' && types.includes('null')) return null;
  if (types.includes('array') || types.includes('object')) {
    if (/^[[{]/.test(raw.trim())) {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return types.includes('array')
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : raw;
  }
  if (
    (types.includes('number') || types.includes('integer')) &&
    !types.includes('string') &&
    raw.trim() !== '' &&
    !Number.isNaN(Number(raw))
  ) {
    return Number(raw);
  }
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Fields from `{json}` or `key=value …`, typed by the input schema of `procedure`. */
export function parseFields(text: string, procedure: string | undefined): Obj {
  const t = text.trim();
  if (!t) return {};
  if (t.startsWith('{')) {
    try {
      const value = JSON.parse(t) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Obj;
    } catch {
      // fall through to the error below
    }
    throw new AppError('VALIDATION', 'Fields given as JSON must be one valid JSON object');
  }
  const props = procedure ? (inputJsonSchema(procedure).properties ?? {}) : {};
  const fields: Obj = {};
  for (const word of splitWords(t)) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new AppError('VALIDATION', `"${word}" is not key=value`);
    const key = word.slice(0, eq);
    fields[key] = typed(word.slice(eq + 1), props[key]);
  }
  return fields;
}
