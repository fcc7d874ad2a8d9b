/**
 * Forms are react-hook-form validated by the SAME zod schemas the server uses (shared/), so a field's message is the
 * same in the browser, in REST and in the console. What the server still refuses is put beside its field too.
 */
import { useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import { z, type ZodType } from 'zod';
import { problemOf } from '../trpc';
import { openDraft, useKeptDraft, type Draft, type DraftKey, type OpenedDraft } from './drafts';

/** Form values are what inputs hold (strings); blanks become absent (create) or null (update: clears the field). */
export function fromForm(values: Record<string, unknown>, blank: undefined | null = undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      if (blank === null) out[key] = null;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/**
 * A decimal as typed: "37.5" and "37,5" (decimal comma) both mean 37.5. A comma followed by three digits ("1,234",
 * "3,250") could be a thousands separator, so it is not guessed: like anything else that is not a plain number it is
 * kept as text and the schema refuses it with a message — never misread ("37,5" is never 375, "3,250" never 3.25).
 */
export function parseDecimal(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const normalised = /^-?\d+,\d{1,2}$/.test(t) ? t.replace(',', '.') : t;
  return /^-?(\d+\.?\d*|\.\d+)$/.test(normalised) ? Number(normalised) : t;
}

/** The schema the resolver checks: form values mapped to the API's input first. */
export function formSchema<S extends ZodType>(schema: S, toInput: (values: any) => unknown) {
  return z.preprocess(toInput, schema);
}

export type SchemaForm<TValues extends FieldValues> = UseFormReturn<TValues> & { draft: Draft };

/**
 * A form on a shared schema. With `draft`, what is typed is kept in this browser until it is saved or discarded
 * (drafts.ts): the form opens from the user's draft if there is one, and the page shows `<DraftNotice>` (whose Discard
 * calls `form.draft.discard()`) and calls `form.draft.saved()` when the save went through; Cancel keeps the draft.
 * `draft.exclude` names fields never kept (passwords).
 */
export function useSchemaForm<TValues extends FieldValues>(
  schema: ZodType,
  { draft, ...props }: UseFormProps<TValues> & { draft?: DraftKey } = {},
): SchemaForm<TValues> {
  const [opened] = useState<OpenedDraft<TValues> | null>(() => openDraft<TValues>(draft));
  const form = useForm<TValues>({
    // The resolver validates and hands the submit handler the API's input (the schema's output).
    resolver: zodResolver(schema as never) as never,
    mode: 'onTouched',
    shouldFocusError: true,
    ...props,
    // Over the form's own values, so a field added since the draft was written still has its default.
    defaultValues: opened?.restored
      ? ({ ...props.defaultValues, ...opened.restored.values } as DefaultValues<TValues>)
      : props.defaultValues,
  });
  const kept = useKeptDraft(form, opened, props.defaultValues as DefaultValues<TValues> | undefined);
  // useForm hands back the same object on every render; the draft goes with it.
  return Object.assign(form, { draft: kept });
}

/**
 * Puts the server's field messages beside their fields and focuses the first one. Returns the message for the top of
 * the form when the server named no field this form shows.
 */
export function showServerErrors<T extends FieldValues>(form: UseFormReturn<T>, error: unknown, fieldNames: string[]): string | null {
  const problem = problemOf(error);
  if (!problem) return null;
  const shown = Object.entries(problem.fields).filter(([path]) => fieldNames.includes(path) || fieldNames.includes(path.split('.')[0]!));
  shown.forEach(([path, message], i) => form.setError(path as Path<T>, { type: 'server', message }, { shouldFocus: i === 0 }));
  return shown.length ? null : problem.message;
}

/**
 * A form's server errors: field messages go beside their fields (`showServerErrors`); `topError` holds a refusal that
 * names none of this form's fields, for the alert at the top of the form.
 */
export function useServerErrors<T extends FieldValues>(form: UseFormReturn<T>, fieldNames: readonly string[]) {
  const [topError, setTopError] = useState<unknown>(null);
  const onServerError = (err: unknown) => setTopError(showServerErrors(form, err, [...fieldNames]) ? err : null);
  return { topError, setTopError, onServerError };
}
