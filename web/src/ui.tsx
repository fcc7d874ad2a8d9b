/** Small building blocks every page uses: panels, form fields with their error, the error box, "Load more". */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ZodType } from 'zod';
import { editWindow } from './format';
import { problemOf, type Problem } from './trpc';

export function Panel({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel">
      {(title || actions) && (
        <header className="panel-head">
          <h2>{title}</h2>
          <div className="panel-actions">{actions}</div>
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Field(props: { label: string; error?: string | undefined; hint?: string; required?: boolean; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field${props.wide ? ' wide' : ''}${props.error ? ' invalid' : ''}`}>
      <span className="field-label">
        {props.label}
        {props.required && <span className="req"> *</span>}
        {props.hint && <span className="hint"> {props.hint}</span>}
      </span>
      {props.children}
      {props.error && <span className="field-error">{props.error}</span>}
    </label>
  );
}

export function ErrorBox({ problem }: { problem: Problem | string | null | undefined }) {
  if (!problem) return null;
  return (
    <div className="error-box" role="alert">
      {typeof problem === 'string' ? problem : problem.message}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <div className="muted pad">{what}…</div>;
}

export function EditWindow({ until }: { until: string }) {
  const w = editWindow(until);
  return <span className={`badge ${w.open ? 'badge-open' : 'badge-locked'}`}>{w.label}</span>;
}

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}
export function LoadMore({ query }: { query: Pages }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}

/** The form's inputs by name; empty fields are left out so optional schema fields stay absent. */
export function readForm(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

export const numberOrUndefined = (v: string | undefined) => (v === undefined ? undefined : Number(v));

interface Submittable<TInput> {
  mutate: (input: TInput) => void;
  reset: () => void;
  error: unknown;
  isPending: boolean;
}

/**
 * Checks input with the shared schema first (the same rules and messages as the server), then sends it.
 * `errors` holds field messages from either side, keyed by path ("firstName", "lines.0.dose").
 */
export function useForm<TInput>(schema: ZodType, mutation: Submittable<TInput>) {
  const [local, setLocal] = useState<Problem | null>(null);
  const server = problemOf(mutation.error);
  const problem = local ?? server;
  return {
    problem,
    errors: problem?.fields ?? {},
    pending: mutation.isPending,
    submit(input: TInput) {
      mutation.reset();
      const checked = schema.safeParse(input);
      if (checked.success) {
        setLocal(null);
        mutation.mutate(input);
        return;
      }
      const fields: Record<string, string> = {};
      for (const issue of checked.error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
      setLocal({ code: 'VALIDATION', message: 'Check the highlighted fields.', fields });
    },
    clear() {
      setLocal(null);
      mutation.reset();
    },
  };
}

/** `onSubmit` for a form element: no page reload, hand the form to `fn`. */
export function onSubmit(fn: (form: HTMLFormElement) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    fn(e.currentTarget);
  };
}

/** The value once it has stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
