/** One consultation: what the doctor wrote, and its prescription (or, for a doctor, the form to write one). */
import { useQuery } from '@tanstack/react-query';
import { can, type Patient, type Staff } from '@hmis/shared';
import { formatDateTime, fullName } from '../format';
import { problemOf, trpc } from '../trpc';
import { EditWindow, ErrorBox, Loading, Panel } from '../ui';
import { CONSULTATION_FIELDS } from './chart/Consultations';
import { PrescriptionForm, PrescriptionView } from './chart/Prescription';
import { PatientBanner, usePatient } from './PatientChart';

function PrescriptionPanel({ patient, consultationId, user }: { patient: Patient; consultationId: number; user: Staff }) {
  const prescription = useQuery(trpc.prescriptions.get.queryOptions({ patientId: patient.id, consultationId }));
  const none = problemOf(prescription.error)?.code === 'NOT_FOUND';
  return (
    <Panel title="Prescription">
      {prescription.isPending ? (
        <Loading />
      ) : prescription.isSuccess ? (
        <PrescriptionView prescription={prescription.data} />
      ) : !none ? (
        <ErrorBox problem={prescription.error?.message} />
      ) : can(user.role, 'prescription:write') ? (
        <PrescriptionForm patient={patient} consultationId={consultationId} />
      ) : (
        <div className="muted pad">No prescription for this consultation.</div>
      )}
    </Panel>
  );
}

export function Consultation({ patientId, consultationId, user }: { patientId: number; consultationId: number; user: Staff }) {
  const patient = usePatient(patientId);
  const consultation = useQuery(trpc.consultations.get.queryOptions({ patientId, id: consultationId }));

  if (patient.isPending || consultation.isPending) return <Loading />;
  if (patient.isError) return <ErrorBox problem={patient.error.message} />;
  if (consultation.isError) return <ErrorBox problem={consultation.error.message} />;
  const p = patient.data;
  const c = consultation.data;
  return (
    <>
      <h1 className="page-title">
        <a href="#/patients">Patients</a> › <a href={`#/patients/${p.id}/consultations`}>{fullName(p)}</a> › Consultation{' '}
        {formatDateTime(c.createdAt)}
      </h1>
      <PatientBanner patient={p} />
      <Panel title={`Consultation by ${c.doctorName}`} actions={<EditWindow until={c.editableUntil} />}>
        <dl className="details stacked">
          {CONSULTATION_FIELDS.map((f) =>
            c[f.name] ? (
              <div key={f.name}>
                <dt>{f.label}</dt>
                <dd className="note-text">{c[f.name]}</dd>
              </div>
            ) : null,
          )}
        </dl>
      </Panel>
      {can(user.role, 'prescription:read') && <PrescriptionPanel patient={p} consultationId={c.id} user={user} />}
    </>
  );
}
