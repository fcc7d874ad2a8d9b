/**
 * The patient list beside a chart on wide screens (issue 13: list and detail side by side), as a mail client keeps
 * its inbox beside the open message: the results of the last search, or a new one typed here; a row opens that
 * patient's chart on the same tab (vital signs stay vital signs while going down a ward list).
 */
import { useMemo, useState } from 'react';
import { Button, Group, Text, TextInput } from '@mantine/core';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import type { Patient } from '@hmis/shared';
import { useUser } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { age } from '../../format';
import classes from './PatientListPane.module.css';
import { setLastPatientSearch, useLastPatientSearch, usePatientSearch } from './patient-search';

/** The chart page to open for another patient: the same tab, or the list of a tab whose page is one record. */
export function sameTabPath(pathname: string, patientId: number): string {
  const tab = pathname.split('/')[3];
  return tab ? `/patients/${patientId}/${tab}` : `/patients/${patientId}`;
}

export function PatientListPane({ currentId, onHide }: { currentId: number; onHide: () => void }) {
  const user = useUser();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const [q, setQ] = useState(useLastPatientSearch(user.id));
  const { search, list, patients, paged } = usePatientSearch(q);

  const columns = useMemo<ColumnDef<Patient>[]>(
    () => [
      {
        id: 'name',
        header: 'Patient',
        accessorFn: (p) => `${p.lastName}, ${p.firstName}`,
        size: 168,
        enableSorting: false,
        cell: (c) => <span className={classes.name}>{c.getValue<string>()}</span>,
      },
      {
        id: 'mrn',
        header: 'MRN',
        accessorKey: 'mrn',
        size: 116,
        enableSorting: false,
        cell: (c) => <span className={classes.mrn}>{c.getValue<string>()}</span>,
      },
      {
        id: 'age',
        header: 'Age',
        accessorKey: 'dob',
        size: 64,
        enableSorting: false,
        cell: (c) => `${age(c.row.original.dob)} ${c.row.original.gender === 'Male' ? 'M' : c.row.original.gender === 'Female' ? 'F' : ''}`,
      },
    ],
    [],
  );

  return (
    <section aria-label="Patient list" className={classes.pane}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={700} size="sm">
          Patients
        </Text>
        <Button variant="subtle" size="compact-xs" onClick={onHide}>
          Hide list
        </Button>
      </Group>
      <TextInput
        aria-label="Search patients"
        placeholder="Name, MRN or phone"
        size="xs"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setLastPatientSearch(user.id, e.currentTarget.value.trim());
        }}
        data-page-search
        mb={6}
      />
      {list.isPending ? (
        <RowsSkeleton />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          label="Patients"
          data={patients}
          columns={columns}
          paged={paged}
          height="calc(100vh - 190px)"
          getRowId={(p) => String(p.id)}
          rowProps={(p) => (p.id === currentId ? { className: classes.current, 'data-state': 'current', 'aria-current': 'true' } : {})}
          onRowClick={(p) => void navigate({ href: sameTabPath(pathname, p.id) })}
          empty={search ? `No patient matches “${search}”. Try the MRN or phone.` : 'No patients yet.'}
        />
      )}
    </section>
  );
}
