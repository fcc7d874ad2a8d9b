/** Nurse notes, newest first; nurses add them. */
import { useRef } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { can, NurseNoteCreateInput, type Patient, type Staff } from '@hmis/shared';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { EditWindow, ErrorBox, Field, LoadMore, Loading, onSubmit, Panel, readForm, useForm } from '../../ui';

function AddNote({ patient }: { patient: Patient }) {
  const formRef = useRef<HTMLFormElement>(null);
  const create = useMutation(
    trpc.nurseNotes.create.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset(); // only once saved, so a failed save keeps the text
        void queryClient.invalidateQueries({ queryKey: trpc.nurseNotes.list.pathKey() });
      },
    }),
  );
  const form = useForm(NurseNoteCreateInput, create);
  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit((el) => form.submit({ patientId: patient.id, note: readForm(el).note ?? '' }))}>
      <ErrorBox problem={form.problem} />
      <Field label="New note" wide error={form.errors.note}>
        <textarea name="note" rows={3} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Saving…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

export function NurseNotes({ patient, user }: { patient: Patient; user: Staff }) {
  const list = useInfiniteQuery(
    trpc.nurseNotes.list.infiniteQueryOptions({ patientId: patient.id, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const notes = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel title="Nurse notes">
      {can(user.role, 'nursenote:write') && <AddNote patient={patient} />}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorBox problem={list.error.message} />
      ) : (
        <>
          <ul className="notes">
            {notes.map((n) => (
              <li key={n.id}>
                <div className="note-meta">
                  <strong>{n.nurseName}</strong> · {formatDateTime(n.createdAt)} <EditWindow until={n.editableUntil} />
                </div>
                <div className="note-text">{n.note}</div>
              </li>
            ))}
            {notes.length === 0 && <li className="muted empty">No nurse notes yet.</li>}
          </ul>
          <LoadMore query={list} />
        </>
      )}
    </Panel>
  );
}
