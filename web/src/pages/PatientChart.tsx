/**
 * One patient: who they are and their allergies always on top, then the clinical record in tabs
 * (consultations, vital signs, nurse notes) for the roles that may read it.
 */
import { useQuery } from '@tanstack/react-query';
import { can, type Patient, type Permission, type Staff } from '@hmis/shared';
import { age, formatDate, fullName } from '../format';
import { trpc } from '../trpc';
import { ErrorBox, Loading } from '../ui';
import { Consultations } from './chart/Consultations';
import { NurseNotes } from './chart/NurseNotes';
import { Vitals } from './chart/Vitals';

export type ChartTab = 'consultations' | 'vitals' | 'notes';

const TABS: { tab: ChartTab; label: string; permission: Permission }[] = [
  { tab: 'consultations', label: 'Consultations', permission: 'consultation:read' },
  { tab: 'vitals', label: 'Vital signs', permission: 'vital:read' },
  { tab: 'notes', label: 'Nurse notes', permission: 'nursenote:read' },
];

export function usePatient(patientId: number) {
  return useQuery(trpc.patients.get.queryOptions({ id: patientId }, { staleTime: 60_000 }));
}

/** The rest of the demographics on one line; only what is known. */
function Details({ patient }: { patient: Patient }) {
  const rows: [string, string | null][] = [
    ['Marital status', patient.maritalStatus],
    ['Address', patient.address],
    ['Email', patient.email],
    ['Next of kin', [patient.nextOfKin, patient.kinAddress].filter(Boolean).join(', ') || null],
  ];
  const known = rows.filter(([, value]) => value);
  if (known.length === 0) return null;
  return (
    <dl className="patient-more">
      {known.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Name, MRN, age and the allergy strip: shown above everything clinical about this patient. */
export function PatientBanner({ patient }: { patient: Patient }) {
  return (
    <div className="patient-banner">
      <div className="patient-id">
        <a className="patient-name" href={`#/patients/${patient.id}`}>
          {fullName(patient)}
        </a>
        <span className="mono">{patient.mrn}</span>
        <span>{patient.gender}</span>
        <span>
          {formatDate(patient.dob)} ({age(patient.dob)})
        </span>
        {patient.phoneNumber && <span className="mono">{patient.phoneNumber}</span>}
      </div>
      <Details patient={patient} />
      {patient.allergies.length ? (
        <div className="allergy-strip">
          <strong>Allergies:</strong> {patient.allergies.join(', ')}
        </div>
      ) : (
        <div className="allergy-strip none">No known allergies</div>
      )}
    </div>
  );
}

export function PatientChart({ patientId, tab, user }: { patientId: number; tab: ChartTab | undefined; user: Staff }) {
  const patient = usePatient(patientId);
  const tabs = TABS.filter((t) => can(user.role, t.permission));
  const current = tabs.find((t) => t.tab === tab)?.tab ?? (user.role === 'nurse' ? 'vitals' : tabs[0]?.tab);

  if (patient.isPending) return <Loading />;
  if (patient.isError) return <ErrorBox problem={patient.error.message} />;
  const p = patient.data;
  return (
    <>
      <h1 className="page-title">
        <a href="#/patients">Patients</a> › {fullName(p)}
      </h1>
      <PatientBanner patient={p} />
      {current && (
        <>
          <nav className="tabs">
            {tabs.map((t) => (
              <a key={t.tab} href={`#/patients/${p.id}/${t.tab}`} className={t.tab === current ? 'active' : undefined}>
                {t.label}
              </a>
            ))}
          </nav>
          {current === 'consultations' && <Consultations patient={p} user={user} />}
          {current === 'vitals' && <Vitals patient={p} user={user} />}
          {current === 'notes' && <NurseNotes patient={p} user={user} />}
        </>
      )}
    </>
  );
}
