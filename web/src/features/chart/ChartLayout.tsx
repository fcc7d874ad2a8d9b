/** One patient: the summary header always on top, then the record in tabs for the roles that may read them. */
import { useEffect } from 'react';
import { AnchorLink } from '../../components/links';
import { Breadcrumbs, Button, Group, Tabs } from '@mantine/core';
import { useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { getRouteApi, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { can, type Permission } from '@hmis/shared';
import { currentPatientId, openPatient } from '../../app/open-patients';
import { useUser } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/status';
import { fullName } from '../../format';
import { PatientListPane } from '../patients/PatientListPane';
import { usePatient } from '../patients/usePatient';
import classes from './ChartLayout.module.css';
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

/**
 * Wide enough for the patient list beside the chart: 1600 px leaves the chart about 1,000 px beside the navigation
 * and a 370 px list (a 1920 px ward monitor leaves it 1,300).
 */
export const SIDE_BY_SIDE = '(min-width: 100em)';

/**
 * On a wide screen the patient list stays beside the chart (issue 13), unless hidden — a choice kept in this
 * browser (it holds no patient data). Narrower, the chart has the page and the list is a click away.
 */
export function ChartLayout() {
  const { patientId } = route.useParams();
  const wide = useMediaQuery(SIDE_BY_SIDE, false, { getInitialValueInEffect: false });
  const [list, setList] = useLocalStorage<'shown' | 'hidden'>({ key: 'hmis-chart-patient-list', defaultValue: 'shown' });
  if (!wide) return <Chart />;
  if (list === 'hidden')
    return (
      <Chart
        showList={
          <Button variant="subtle" size="compact-xs" onClick={() => setList('shown')}>
            Show patient list
          </Button>
        }
      />
    );
  return (
    <div className={classes.split}>
      <PatientListPane currentId={patientId} onHide={() => setList('hidden')} />
      <div className={classes.chart}>
        <Chart />
      </div>
    </div>
  );
}

function Chart({ showList }: { showList?: React.ReactNode }) {
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
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Breadcrumbs fz="sm">
          <AnchorLink to="/patients">Patients</AnchorLink>
          <span>{fullName(p)}</span>
        </Breadcrumbs>
        {showList}
      </Group>
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
