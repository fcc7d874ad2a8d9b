/** Vital signs: a table with values outside the normal range marked; nurses record new sets. */
import { useState } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { can, VITAL_FIELDS, VITAL_LIMITS, VitalCreateInput, type Patient, type Staff, type Vital, type VitalField } from '@hmis/shared';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { EditWindow, ErrorBox, Field, LoadMore, Loading, numberOrUndefined, onSubmit, Panel, readForm, useForm } from '../../ui';

export const VITAL_LABEL: Record<VitalField, string> = {
  pulseRate: 'Pulse',
  respiratoryRate: 'Resp. rate',
  systolicBp: 'Systolic BP',
  diastolicBp: 'Diastolic BP',
  temperature: 'Temperature',
  spo2: 'SpO₂',
  heightCm: 'Height',
  weightKg: 'Weight',
};

function normalRange(field: VitalField): string | undefined {
  const normal = VITAL_LIMITS[field].normal;
  return normal ? `normal ${normal[0]}–${normal[1]}` : undefined;
}

/** One value, with ↑/↓ and a red cell when the server flagged it. */
function Reading({ vital, field }: { vital: Vital; field: VitalField }) {
  const value = vital[field];
  const flag = vital.flags[field];
  if (value == null) return <span className="muted">—</span>;
  return (
    <span className={flag ? `abnormal ${flag}` : undefined} title={flag ? `${flag === 'high' ? 'High' : 'Low'} (${normalRange(field)})` : undefined}>
      {value}
      {flag === 'high' ? ' ↑' : flag === 'low' ? ' ↓' : ''}
    </span>
  );
}

function RecordVitals({ patient, onDone }: { patient: Patient; onDone: () => void }) {
  const create = useMutation(
    trpc.vitals.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.vitals.list.pathKey() });
        onDone();
      },
    }),
  );
  const form = useForm(VitalCreateInput, create);
  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit((el) => {
        const v = readForm(el);
        const measured = Object.fromEntries(VITAL_FIELDS.map((f) => [f, numberOrUndefined(v[f])]));
        form.submit({ patientId: patient.id, ...measured });
      })}
    >
      <ErrorBox problem={form.problem} />
      <div className="vital-inputs">
        {VITAL_FIELDS.map((f, i) => (
          <Field key={f} label={`${VITAL_LABEL[f]} (${VITAL_LIMITS[f].unit})`} hint={normalRange(f)} error={form.errors[f]}>
            <input name={f} type="number" inputMode="decimal" step={VITAL_LIMITS[f].integer ? 1 : 0.1} autoFocus={i === 0} />
          </Field>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Saving…' : 'Record vital signs'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function Vitals({ patient, user }: { patient: Patient; user: Staff }) {
  const [adding, setAdding] = useState(false);
  const list = useInfiniteQuery(
    trpc.vitals.list.infiniteQueryOptions({ patientId: patient.id, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Panel
      title="Vital signs"
      actions={can(user.role, 'vital:write') && !adding && <button className="primary" onClick={() => setAdding(true)}>Record vitals</button>}
    >
      {adding && <RecordVitals patient={patient} onDone={() => setAdding(false)} />}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorBox problem={list.error.message} />
      ) : (
        <>
          <table className="grid vitals">
            <thead>
              <tr>
                <th>When</th>
                <th className="num">Pulse</th>
                <th className="num">Resp.</th>
                <th className="num">BP</th>
                <th className="num">Temp °C</th>
                <th className="num">SpO₂ %</th>
                <th className="num">Height cm</th>
                <th className="num">Weight kg</th>
                <th>Outside normal range</th>
                <th>Nurse</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => {
                const flagged = VITAL_FIELDS.filter((f) => v.flags[f]);
                return (
                  <tr key={v.id} className={v.abnormal ? 'row-abnormal' : undefined}>
                    <td className="nowrap">{formatDateTime(v.createdAt)}</td>
                    <td className="num"><Reading vital={v} field="pulseRate" /></td>
                    <td className="num"><Reading vital={v} field="respiratoryRate" /></td>
                    <td className="num nowrap">
                      <Reading vital={v} field="systolicBp" />
                      {(v.systolicBp != null || v.diastolicBp != null) && ' / '}
                      <Reading vital={v} field="diastolicBp" />
                    </td>
                    <td className="num"><Reading vital={v} field="temperature" /></td>
                    <td className="num"><Reading vital={v} field="spo2" /></td>
                    <td className="num"><Reading vital={v} field="heightCm" /></td>
                    <td className="num"><Reading vital={v} field="weightKg" /></td>
                    <td className={flagged.length ? 'abnormal-text' : 'muted'}>
                      {flagged.length ? flagged.map((f) => `${VITAL_LABEL[f]} ${v.flags[f]}`).join(', ') : 'none'}
                    </td>
                    <td className="nowrap">{v.nurseName}</td>
                    <td><EditWindow until={v.editableUntil} /></td>
                  </tr>
                );
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={11} className="muted empty">
                    No vital signs recorded yet.
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
