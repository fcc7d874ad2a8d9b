/** Counts of everything in the system, for a glance at the start of the day. */
import { useQuery } from '@tanstack/react-query';
import { STAT_KINDS, type StatKind } from '@hmis/shared';
import { trpc } from '../trpc';
import { ErrorBox, Loading, Panel } from '../ui';

const LABEL: Record<StatKind, string> = {
  patients: 'Patients',
  staff: 'Staff',
  consultations: 'Consultations',
  prescriptions: 'Prescriptions',
  vitals: 'Vital sign records',
  nurseNotes: 'Nurse notes',
  drugs: 'Drugs in the formulary',
};

export function Overview() {
  const stats = useQuery(trpc.system.stats.queryOptions());
  return (
    <>
      <h1 className="page-title">Overview</h1>
      <Panel>
        {stats.isPending ? (
          <Loading />
        ) : stats.isError ? (
          <ErrorBox problem={stats.error.message} />
        ) : (
          <div className="tiles">
            {STAT_KINDS.map((k) => (
              <div key={k} className="tile">
                <div className="tile-value">{stats.data[k].toLocaleString()}</div>
                <div className="tile-label">{LABEL[k]}</div>
              </div>
            ))}
          </div>
        )}
      </Panel>
    </>
  );
}
