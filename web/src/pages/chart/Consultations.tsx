/** A patient's consultations, newest first; doctors add new ones. Each opens to its notes and prescription. */
import { useState } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { can, ConsultationCreateInput, type Patient, type Staff } from '@hmis/shared';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { EditWindow, ErrorBox, Field, LoadMore, Loading, onSubmit, Panel, readForm, useForm } from '../../ui';

/** The free-text parts of a consultation, in the order a doctor writes them. */
export const CONSULTATION_FIELDS = [
  { name: 'presentingComplaint', label: 'Presenting complaint' },
  { name: 'historyOfPresentingComplaint', label: 'History of presenting complaint' },
  { name: 'pastMedicalHistory', label: 'Past medical history' },
  { name: 'pastObstetricHistory', label: 'Past obstetric history', femaleOnly: true },
  { name: 'pastGynaecologicalHistory', label: 'Past gynaecological history', femaleOnly: true },
  { name: 'provisionalDiagnosis', label: 'Provisional diagnosis', required: true },
  { name: 'plan', label: 'Plan' },
] as const;

function NewConsultation({ patient, onDone }: { patient: Patient; onDone: () => void }) {
  const create = useMutation(
    trpc.consultations.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.consultations.list.pathKey() });
        onDone();
      },
    }),
  );
  const form = useForm(ConsultationCreateInput, create);
  const fields = CONSULTATION_FIELDS.filter((f) => !('femaleOnly' in f) || patient.gender === 'Female');
  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit((el) => form.submit({ patientId: patient.id, provisionalDiagnosis: '', ...readForm(el) }))}
    >
      <ErrorBox problem={form.problem} />
      {fields.map((f) => (
        <Field key={f.name} label={f.label} required={'required' in f} wide error={form.errors[f.name]}>
          <textarea name={f.name} rows={f.name === 'provisionalDiagnosis' ? 1 : 2} />
        </Field>
      ))}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Saving…' : 'Save consultation'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function Consultations({ patient, user }: { patient: Patient; user: Staff }) {
  const [adding, setAdding] = useState(false);
  const list = useInfiniteQuery(
    trpc.consultations.list.infiniteQueryOptions({ patientId: patient.id, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canWrite = can(user.role, 'consultation:write');

  return (
    <Panel
      title="Consultations"
      actions={canWrite && !adding && <button className="primary" onClick={() => setAdding(true)}>New consultation</button>}
    >
      {adding && <NewConsultation patient={patient} onDone={() => setAdding(false)} />}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorBox problem={list.error.message} />
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>When</th>
                <th>Doctor</th>
                <th>Provisional diagnosis</th>
                <th>Presenting complaint</th>
                <th>Plan</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const href = `#/patients/${patient.id}/consultations/${c.id}`;
                return (
                  <tr key={c.id} className="clickable" onClick={() => (window.location.hash = href.slice(1))}>
                    <td className="nowrap">
                      <a href={href}>{formatDateTime(c.createdAt)}</a>
                    </td>
                    <td>{c.doctorName}</td>
                    <td className="strong">{c.provisionalDiagnosis}</td>
                    <td className="clip">{c.presentingComplaint ?? '—'}</td>
                    <td className="clip">{c.plan ?? '—'}</td>
                    <td>
                      <EditWindow until={c.editableUntil} />
                    </td>
                  </tr>
                );
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted empty">
                    No consultations yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <LoadMore query={list} />
        </>
      )}
    </Panel>
  );
}
