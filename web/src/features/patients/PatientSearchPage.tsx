/** Find a patient as you type: name, any part of the MRN, or a phone number in any common form. */
import { ButtonLink } from '../../components/links';
import { useEffect, useMemo, useState } from 'react';
import { Badge, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { can, type Patient } from '@hmis/shared';
import { useUser } from '../../app/session';
import { useNewRecord } from '../../app/shortcuts';
import { DataTable } from '../../components/DataTable';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { age, formatDate, fullName } from '../../format';
import { AllergyBadges } from './AllergyBadges';
import { setLastPatientSearch, usePatientSearch } from './patient-search';

const route = getRouteApi('/patients');

export function PatientSearchPage() {
  const user = useUser();
  const { q: initial } = route.useSearch();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial ?? '');
  const { search, list, patients, paged } = usePatientSearch(q);
  // The list beside a chart (wide screens) starts from these results.
  useEffect(() => setLastPatientSearch(user.id, search), [user.id, search]);

  const columns = useMemo<ColumnDef<Patient>[]>(
    () => [
      {
        id: 'mrn',
        header: 'MRN',
        accessorKey: 'mrn',
        size: 130,
        cell: (c) => (
          <Text ff="monospace" size="sm">
            {c.getValue<string>()}
          </Text>
        ),
      },
      {
        id: 'name',
        header: 'Name',
        accessorFn: (p) => `${p.lastName}, ${p.firstName}`,
        size: 220,
        cell: (c) => (
          <Link to="/patients/$patientId" params={{ patientId: c.row.original.id }} onClick={(e) => e.stopPropagation()}>
            {fullName(c.row.original)}
          </Link>
        ),
      },
      { id: 'sex', header: 'Sex', accessorKey: 'gender', size: 70 },
      {
        id: 'dob',
        header: 'Date of birth',
        accessorKey: 'dob',
        size: 150,
        cell: (c) => (
          <>
            {formatDate(c.row.original.dob)}{' '}
            <Text span c="dimmed" size="xs">
              {age(c.row.original.dob)}
            </Text>
          </>
        ),
      },
      { id: 'phone', header: 'Phone', accessorKey: 'phoneNumber', size: 150, cell: (c) => c.getValue<string | null>() ?? '—' },
      {
        id: 'allergies',
        header: 'Allergies',
        accessorFn: (p) => p.allergies.join(', '),
        size: 240,
        enableSorting: false,
        cell: (c) => <AllergyBadges allergies={c.row.original.allergyRecords} compact />,
      },
    ],
    [],
  );

  useNewRecord('patient', 'Register a patient', can(user.role, 'patient:write') ? () => void navigate({ to: '/patients/new' }) : null);

  function onChange(value: string) {
    setQ(value);
    // The search stays in the address so "Back" from a chart returns to the same results.
    void navigate({ to: '/patients', search: value.trim() ? { q: value.trim() } : {}, replace: true });
  }

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={1}>Patients</Title>
        {can(user.role, 'patient:write') && <ButtonLink to="/patients/new">Register patient</ButtonLink>}
      </Group>
      <Paper withBorder p="sm">
        <TextInput
          label="Search patients"
          description="Name (surname or first name), MRN or its number (0000123 or 123), or phone in any form (0803 555 0101, +234…, or the last 7 digits)"
          placeholder="e.g. Okafor, 0000123, 08035550101"
          value={q}
          onChange={(e) => onChange(e.currentTarget.value)}
          autoFocus
          data-page-search
          mb="sm"
          rightSection={
            list.isFetching && !list.isFetchingNextPage ? (
              <Badge size="xs" variant="light">
                …
              </Badge>
            ) : null
          }
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
            height="calc(100vh - 260px)"
            getRowId={(p) => String(p.id)}
            onRowClick={(p) => void navigate({ to: '/patients/$patientId', params: { patientId: p.id } })}
            empty={
              search
                ? `No patient matches “${search}”. Check the spelling, or search by MRN or phone.`
                : can(user.role, 'patient:write')
                  ? 'No patients yet. Register the first one.'
                  : 'No patients yet.'
            }
          />
        )}
      </Paper>
    </>
  );
}
