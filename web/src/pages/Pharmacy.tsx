/** The pharmacy queue: prescriptions waiting to be dispensed, oldest first. Dispensing takes the stock. */
import { useState } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { can, PRESCRIPTION_STATUSES, type Prescription, type PrescriptionStatus, type Staff } from '@hmis/shared';
import { formatDateTime, fullName } from '../format';
import { problemOf, queryClient, trpc } from '../trpc';
import { ErrorBox, LoadMore, Loading, Panel } from '../ui';
import { PrescriptionLines, StatusBadge } from './chart/Prescription';
import { usePatient } from './PatientChart';

function QueueItem({ prescription, canDispense }: { prescription: Prescription; canDispense: boolean }) {
  const patient = usePatient(prescription.patientId);
  const dispense = useMutation(
    trpc.prescriptions.dispense.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.prescriptions.queue.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.drugs.list.pathKey() });
      },
    }),
  );
  const p = patient.data;
  return (
    <Panel
      title={
        <>
          {p ? fullName(p) : `Patient ${prescription.patientId}`} {p && <span className="mono muted">{p.mrn}</span>}
        </>
      }
      actions={
        canDispense &&
        prescription.status === 'pending' && (
          <button
            className="primary"
            disabled={dispense.isPending}
            onClick={() =>
              dispense.mutate({ patientId: prescription.patientId, consultationId: prescription.consultationId, version: prescription.version })
            }
          >
            {dispense.isPending ? 'Dispensing…' : 'Dispense'}
          </button>
        )
      }
    >
      <div className="meta-line">
        <StatusBadge status={prescription.status} /> Prescribed by <strong>{prescription.prescriberName}</strong>,{' '}
        {formatDateTime(prescription.createdAt)}
        {prescription.dispensedAt && <> · dispensed {formatDateTime(prescription.dispensedAt)}</>}
        {p && p.allergies.length > 0 && <span className="allergy-chip">Allergies: {p.allergies.join(', ')}</span>}
      </div>
      <ErrorBox problem={problemOf(dispense.error)} />
      {prescription.notes && <p className="note-text">{prescription.notes}</p>}
      <PrescriptionLines prescription={prescription} />
    </Panel>
  );
}

export function Pharmacy({ user }: { user: Staff }) {
  const [status, setStatus] = useState<PrescriptionStatus>('pending');
  const queue = useInfiniteQuery(
    trpc.prescriptions.queue.infiniteQueryOptions({ status, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 className="page-title">Pharmacy queue</h1>
      <div className="toolbar">
        <nav className="tabs">
          {PRESCRIPTION_STATUSES.map((s) => (
            <a
              key={s}
              href="#/pharmacy"
              className={s === status ? 'active' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setStatus(s);
              }}
            >
              {s[0]!.toUpperCase() + s.slice(1)}
            </a>
          ))}
        </nav>
      </div>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <ErrorBox problem={queue.error.message} />
      ) : (
        <>
          {items.map((p) => (
            <QueueItem key={p.id} prescription={p} canDispense={can(user.role, 'prescription:dispense')} />
          ))}
          {items.length === 0 && <Panel><div className="muted pad">No {status} prescriptions.</div></Panel>}
          <LoadMore query={queue} />
        </>
      )}
    </>
  );
}
