/** A consultation's prescription: its drug lines, and the form a doctor writes it with. */
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { PrescriptionCreateInput, type Drug, type Patient, type Prescription } from '@hmis/shared';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { EditWindow, ErrorBox, Field, useForm } from '../../ui';

export function StatusBadge({ status }: { status: Prescription['status'] }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function PrescriptionLines({ prescription }: { prescription: Prescription }) {
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Drug</th>
          <th>Dose</th>
          <th>Frequency</th>
          <th>Duration</th>
          <th>Route</th>
          <th className="num">Quantity</th>
          <th>Allergy override</th>
        </tr>
      </thead>
      <tbody>
        {prescription.lines.map((l) => (
          <tr key={l.id}>
            <td className="strong">{l.drugName}</td>
            <td>{l.dose}</td>
            <td>{l.frequency}</td>
            <td>{l.duration}</td>
            <td>{l.route}</td>
            <td className="num">{l.quantity}</td>
            <td>{l.allergyOverrideReason ? <span className="abnormal-text">{l.allergyOverrideReason}</span> : <span className="muted">—</span>}</td>
          </tr>
        ))}
        {prescription.lines.length === 0 && (
          <tr>
            <td colSpan={7} className="muted empty">
              No drug lines.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function PrescriptionView({ prescription }: { prescription: Prescription }) {
  return (
    <>
      <div className="meta-line">
        <StatusBadge status={prescription.status} /> Prescribed by <strong>{prescription.prescriberName}</strong>,{' '}
        {formatDateTime(prescription.createdAt)}
        {prescription.status === 'pending' ? <EditWindow until={prescription.editableUntil} /> : <span className="badge badge-locked">locked</span>}
        {prescription.dispensedAt && <> · dispensed {formatDateTime(prescription.dispensedAt)}</>}
      </div>
      {prescription.notes && <p className="note-text">{prescription.notes}</p>}
      <PrescriptionLines prescription={prescription} />
    </>
  );
}

/** The same matching the server applies: a drug whose name contains an allergy (or the other way round). */
function allergyFor(drug: Drug | undefined, allergies: string[]): string | undefined {
  if (!drug) return undefined;
  const names = [drug.name, drug.genericName, drug.brand].filter((n): n is string => !!n).map((n) => n.toLowerCase());
  return allergies.find((a) => {
    const x = a.trim().toLowerCase();
    return x && names.some((n) => n.includes(x) || x.includes(n));
  });
}

interface LineDraft {
  key: number;
  drugId: string;
  dose: string;
  frequency: string;
  duration: string;
  route: string;
  quantity: string;
  allergyOverrideReason: string;
}
let nextKey = 1;
const emptyLine = (): LineDraft => ({
  key: nextKey++, drugId: '', dose: '', frequency: '', duration: '', route: '', quantity: '', allergyOverrideReason: '',
});

export function PrescriptionForm({ patient, consultationId }: { patient: Patient; consultationId: number }) {
  const drugs = useQuery(trpc.drugs.list.queryOptions({ limit: 100 }));
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [notes, setNotes] = useState('');
  const create = useMutation(
    trpc.prescriptions.create.mutationOptions({
      onSuccess: (p) => {
        queryClient.setQueryData(trpc.prescriptions.get.queryKey({ patientId: patient.id, consultationId }), p);
        void queryClient.invalidateQueries({ queryKey: trpc.prescriptions.queue.pathKey() });
      },
    }),
  );
  const form = useForm(PrescriptionCreateInput, create);
  const e = form.errors;
  const drugById = new Map((drugs.data?.items ?? []).map((d) => [String(d.id), d]));

  const change = (key: number, patch: Partial<LineDraft>) =>
    setLines((ls) =>
      ls.map((l) => {
        if (l.key !== key) return l;
        const next = { ...l, ...patch };
        // Choosing a drug suggests its route; the doctor can still change it.
        if (patch.drugId && !l.route) next.route = drugById.get(patch.drugId)?.route ?? '';
        return next;
      }),
    );

  function submit() {
    form.submit({
      patientId: patient.id,
      consultationId,
      notes: notes.trim() || undefined,
      lines: lines.map((l) => ({
        drugId: l.drugId ? Number(l.drugId) : undefined,
        dose: l.dose,
        frequency: l.frequency,
        duration: l.duration,
        route: l.route,
        quantity: l.quantity ? Number(l.quantity) : undefined,
        allergyOverrideReason: l.allergyOverrideReason.trim() || undefined,
      })),
    });
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        submit();
      }}
    >
      <ErrorBox problem={form.problem} />
      {drugs.isError && <ErrorBox problem={`Could not load the drug list: ${drugs.error.message}`} />}
      {lines.map((l, i) => {
        const err = (f: string) => e[`lines.${i}.${f}`];
        const allergy = allergyFor(drugById.get(l.drugId), patient.allergies);
        const needsReason = allergy !== undefined || err('allergyOverrideReason') !== undefined;
        return (
          <fieldset key={l.key} className="drug-line">
            <legend>Drug {i + 1}</legend>
            <Field label="Drug" required error={err('drugId') && (l.drugId ? err('drugId') : 'Choose a drug')}>
              <select value={l.drugId} onChange={(ev) => change(l.key, { drugId: ev.target.value })} aria-label={`Drug ${i + 1}`}>
                <option value="">Choose a drug…</option>
                {(drugs.data?.items ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} {d.strength} {d.formulation} — {d.stockOnHand} in stock
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Dose" required error={err('dose')}>
              <input value={l.dose} onChange={(ev) => change(l.key, { dose: ev.target.value })} placeholder="e.g. 1 tablet" />
            </Field>
            <Field label="Frequency" required error={err('frequency')}>
              <input value={l.frequency} onChange={(ev) => change(l.key, { frequency: ev.target.value })} placeholder="e.g. 8-hourly" />
            </Field>
            <Field label="Duration" required error={err('duration')}>
              <input value={l.duration} onChange={(ev) => change(l.key, { duration: ev.target.value })} placeholder="e.g. 5 days" />
            </Field>
            <Field label="Route" required error={err('route')}>
              <input value={l.route} onChange={(ev) => change(l.key, { route: ev.target.value })} />
            </Field>
            <Field label="Quantity" required error={err('quantity')}>
              <input type="number" min={1} value={l.quantity} onChange={(ev) => change(l.key, { quantity: ev.target.value })} />
            </Field>
            {needsReason && (
              <Field label={`Allergy override reason${allergy ? ` (patient allergic to ${allergy})` : ''}`} required wide error={err('allergyOverrideReason')}>
                <input value={l.allergyOverrideReason} onChange={(ev) => change(l.key, { allergyOverrideReason: ev.target.value })} />
              </Field>
            )}
            {lines.length > 1 && (
              <button type="button" className="link" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
                Remove drug {i + 1}
              </button>
            )}
          </fieldset>
        );
      })}
      <Field label="Notes for the pharmacist" wide error={e.notes}>
        <textarea rows={2} value={notes} onChange={(ev) => setNotes(ev.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Saving…' : 'Save prescription'}
        </button>
        <button type="button" onClick={() => setLines((ls) => [...ls, emptyLine()])}>
          Add another drug
        </button>
      </div>
    </form>
  );
}
