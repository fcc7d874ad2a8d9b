/**
 * What every answer must be: never a 5xx; an error under /api (and /auth) the JSON body { code, message, fields? }
 * with each field naming a path; anything under /trpc tRPC's envelope — { result } or { error: { message, code,
 * data } } for one call, an array of them for a batch (or one error envelope when the whole batch was refused).
 */

export interface Verdict {
  /** What is wrong with the answer; empty when nothing is. */
  problems: string[];
  /** Per tRPC call of the request (one entry for REST): whether it was refused. */
  refused: boolean[];
  /** Some answer said the caller is not signed in. */
  unauthenticated: boolean;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldProblems(fields: Json, where: string): string[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields)) return [`${where}.fields is not an array`];
  return fields.flatMap((f, i) =>
    isObject(f) && typeof f.path === 'string' && f.path !== '' && typeof f.message === 'string'
      ? []
      : [`${where}.fields[${i}] does not name a path with a message`],
  );
}

function restErrorProblems(body: Json): string[] {
  if (!isObject(body)) return ['the error body is not a JSON object'];
  const extra = Object.keys(body).filter((k) => !['code', 'message', 'fields'].includes(k));
  return [
    ...(typeof body.code === 'string' && body.code !== '' ? [] : ['the error body has no code']),
    ...(typeof body.message === 'string' ? [] : ['the error body has no message']),
    ...(extra.length ? [`the error body has other keys: ${extra.join(', ')}`] : []),
    ...fieldProblems(body.fields, 'error'),
  ];
}

/** One tRPC envelope: problems, and whether it is an error. */
function envelopeProblems(item: Json, where: string, status?: number): { problems: string[]; error: boolean; code?: string } {
  if (!isObject(item)) return { problems: [`${where} is not an object`], error: true };
  if ('result' in item && !('error' in item))
    return { problems: isObject(item.result) ? [] : [`${where}.result is not an object`], error: false };
  const error = item.error;
  if (!isObject(error)) return { problems: [`${where} is neither { result } nor { error }`], error: true };
  const data = error.data;
  const problems = [
    ...(typeof error.message === 'string' ? [] : [`${where}.error.message is missing`]),
    ...(typeof error.code === 'number' ? [] : [`${where}.error.code is not tRPC's number`]),
  ];
  if (!isObject(data)) return { problems: [...problems, `${where}.error.data is missing`], error: true };
  if (typeof data.code !== 'string') problems.push(`${where}.error.data.code is missing`);
  if (typeof data.httpStatus !== 'number') problems.push(`${where}.error.data.httpStatus is missing`);
  else if (status !== undefined && data.httpStatus !== status)
    problems.push(`${where}.error.data.httpStatus ${data.httpStatus} is not the status ${status}`);
  problems.push(...fieldProblems(data.fields, `${where}.error.data`));
  return { problems, error: true, code: typeof data.code === 'string' ? data.code : undefined };
}

export function judge(method: string, url: string, status: number, contentType: string | undefined, text: string, calls: number): Verdict {
  const problems: string[] = status >= 500 ? [`answered ${status}`] : [];
  // An answer to HEAD has no body to judge.
  if (method === 'HEAD') return { problems, refused: Array(calls).fill(status >= 400), unauthenticated: status === 401 };
  let body: Json;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const json = body !== undefined && /^application\/json\b/.test(contentType ?? '');
  if (!url.startsWith('/trpc')) {
    const refused = status >= 400;
    if (refused) {
      if (!json) problems.push(`the error is not JSON (${contentType ?? 'no content type'})`);
      else problems.push(...restErrorProblems(body));
    }
    const unauthenticated = isObject(body) && body.code === 'UNAUTHENTICATED';
    return { problems, refused: [refused], unauthenticated };
  }
  // tRPC's own handler answers some refusals (415) in its envelope but as text/plain: the envelope is what counts here.
  if (body === undefined)
    return {
      problems: [...problems, `the answer is not JSON (${contentType ?? 'no content type'})`],
      refused: Array(calls).fill(status >= 400),
      unauthenticated: false,
    };
  if (Array.isArray(body)) {
    const items = body.map((item, i) => envelopeProblems(item, `[${i}]`));
    if (items.length !== calls) problems.push(`the batch answer has ${items.length} items for ${calls} calls`);
    return {
      problems: [...problems, ...items.flatMap((i) => i.problems)],
      refused: Array.from({ length: calls }, (_, i) => items[i]?.error ?? true),
      unauthenticated: items.some((i) => i.code === 'UNAUTHENTICATED'),
    };
  }
  // One envelope: one call, or a batch refused as a whole (too large, not JSON, wrong method).
  const single = envelopeProblems(body, 'the answer', status);
  if (status >= 400 && !single.error) problems.push(`status ${status} with a result`);
  if (status < 400 && single.error) problems.push(`status ${status} with an error`);
  return {
    problems: [...problems, ...single.problems],
    refused: Array(calls).fill(single.error || status >= 400),
    unauthenticated: single.code === 'UNAUTHENTICATED',
  };
}
