/** One patient: the summary header always on top, then the record in tabs for the roles that may read them. */
import { useEffect } from 'react';
import { AnchorLink } from '../../components/links';
import { Breadcrumbs, Tabs } from '@mantine/core';
import { getRouteApi, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { can, type Permission } from '@hmis/shared';
import { currentPatientId, openPatient } from '../../app/open-patients';
import { useUser } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/status';
import { fullName } from '../../format';
import { usePatient } from '../patients/usePatient';
import { PatientHeader } from './PatientHeader';

const route = getRouteApi('/patients/$patientId');

export const CHART_TABS: { tab: string; label: string; permission?: Permission }[] = [
  { tab: 'summary', label: 'Summary' },
  { tab: 'consultations', label: 'Consultations', permission: 'consultation:read' },
  { tab: 'vitals', label: 'Vital signs', permission: 'vital:read' },
  { tab: 'notes', label: 'Nurse notes', permission: 'nursenote:read' },
  { tab: 'medications', label: 'Medications', permission: 'prescription:read' },
  { tab: 'details', label: 'Details' },
];

export function ChartLayout() {
  const { patientId } = route.useParams();
  const user = useUser();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const patient = usePatient(patientId);
  const tabs = CHART_TABS.filter((t) => !t.permission || can(user.role, t.permission));
  const current = pathname.split('/')[3] || 'summary';
  const p = patient.data;

  // The chart becomes (or stays) an open tab, which remembers this page of it. The address can be the next page's
  // a moment before the params are (moving between patients): only a page of this patient's chart is remembered.
  useEffect(() => {
    if (p && p.id === patientId && currentPatientId(pathname) === p.id) {
      openPatient({ id: p.id, name: `${p.lastName}, ${p.firstName}`, mrn: p.mrn, path: pathname });
    }
  }, [p, patientId, pathname]);

  if (patient.isPending) return <PageLoader what="Opening the chart" />;
  if (patient.isError || !p)
    return <ErrorState title="Could not open this patient" error={patient.error} onRetry={() => void patient.refetch()} />;
  return (
    <>
      <Breadcrumbs mb={6} fz="sm">
        <AnchorLink to="/patients">Patients</AnchorLink>
        <span>{fullName(p)}</span>
      </Breadcrumbs>
      <PatientHeader patient={p} />
      <Tabs
        value={current}
        onChange={(tab) =>
          void navigate({
            to: `/patients/$patientId${tab && tab !== 'summary' ? `/${tab}` : ''}` as '/patients/$patientId',
            params: { patientId },
          })
        }
        keepMounted={false}
      >
        <Tabs.List mb="sm">
          {tabs.map((t) => (
            <Tabs.Tab key={t.tab} value={t.tab}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={current}>
          <Outlet />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
