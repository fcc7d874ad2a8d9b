/**
 * The patient summary above everything clinical: who (name, age, sex, MRN), allergies in red, the latest vital
 * signs with their time, and the last visit. Each part only for the roles that may read it.
 */
import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { can, VITAL_LIMITS, type Patient, type Vital, type VitalField } from '@hmis/shared';
import { useUser } from '../../app/session';
import { age, formatDate, formatDateTime, fullName, timeAgo } from '../../format';
import { trpc } from '../../trpc';
import { AllergyBadges } from '../patients/AllergyBadges';
import { VITAL_LABEL } from '../vitals/labels';

// Loaded when first opened: most visits to a chart never change the allergies.
const AllergiesDialog = lazy(() => import('../patients/AllergiesDialog').then((m) => ({ default: m.AllergiesDialog })));

const HEADER_VITALS: VitalField[] = ['temperature', 'pulseRate', 'respiratoryRate', 'spo2', 'weightKg'];

function LatestVitals({ patientId }: { patientId: number }) {
  const latest = useQuery(trpc.vitals.list.queryOptions({ patientId, limit: 1 }, { staleTime: 30_000 }));
  const v: Vital | undefined = latest.data?.items[0];
  if (latest.isPending)
    return (
      <Text size="sm" c="dimmed">
        Latest vitals…
      </Text>
    );
  if (!v)
    return (
      <Text size="sm" c="dimmed">
        No vital signs recorded
      </Text>
    );
  const shown = (f: VitalField) => v[f] != null;
  const flagged = (f: VitalField) => v.flags[f];
  return (
    <Group gap={10} wrap="wrap" aria-label="Latest vital signs">
      <Text size="sm" fw={600}>
        Latest vitals{' '}
        <Tooltip label={formatDateTime(v.createdAt)}>
          <Text span size="sm" c="dimmed" fw={400}>
            ({timeAgo(v.createdAt)})
          </Text>
        </Tooltip>
        :
      </Text>
      {(v.systolicBp != null || v.diastolicBp != null) && (
        <Text
          size="sm"
          c={flagged('systolicBp') || flagged('diastolicBp') ? 'red.9' : undefined}
          fw={flagged('systolicBp') || flagged('diastolicBp') ? 700 : 400}
        >
          BP {v.systolicBp ?? '–'}/{v.diastolicBp ?? '–'} mmHg
        </Text>
      )}
      {HEADER_VITALS.filter(shown).map((f) => (
        <Text key={f} size="sm" c={flagged(f) ? 'red.9' : undefined} fw={flagged(f) ? 700 : 400}>
          {VITAL_LABEL[f]} {v[f]} {VITAL_LIMITS[f].unit}
          {flagged(f) === 'high' ? ' ↑' : flagged(f) === 'low' ? ' ↓' : ''}
        </Text>
      ))}
    </Group>
  );
}

function LastVisit({ patientId }: { patientId: number }) {
  const last = useQuery(trpc.consultations.list.queryOptions({ patientId, limit: 1 }, { staleTime: 30_000 }));
  const c = last.data?.items[0];
  if (last.isPending) return null;
  return (
    <Text size="sm">
      <Text span fw={600}>
        Last visit:
      </Text>{' '}
      {c ? `${formatDateTime(c.createdAt)} — ${c.provisionalDiagnosis} (${c.doctorName})` : 'none recorded'}
    </Text>
  );
}

function Allergies({ patient }: { patient: Patient }) {
  const user = useUser();
  const [editing, setEditing] = useState(false);
  const notCoded = patient.allergyRecords.filter((a) => a.kind === 'text').length;
  return (
    <Group gap="xs">
      <Text size="sm" fw={600} c={patient.allergies.length ? 'red.9' : undefined}>
        Allergies:
      </Text>
      <AllergyBadges allergies={patient.allergyRecords} none="No known allergies" />
      {can(user.role, 'allergy:write') && (
        <Button size="compact-xs" variant="light" onClick={() => setEditing(true)}>
          {notCoded ? `Edit allergies (${notCoded} not coded)` : 'Edit allergies'}
        </Button>
      )}
      {editing && (
        <Suspense fallback={null}>
          <AllergiesDialog patient={patient} onClose={() => setEditing(false)} />
        </Suspense>
      )}
    </Group>
  );
}

export function PatientHeader({ patient }: { patient: Patient }) {
  const user = useUser();
  return (
    <Paper withBorder p="sm" mb="sm" component="section" aria-label="Patient summary">
      <Stack gap={6}>
        <Group gap="md" align="baseline" wrap="wrap">
          <Title order={1}>{fullName(patient)}</Title>
          <Text size="sm">
            {patient.gender}, {age(patient.dob)}{' '}
            <Text span c="dimmed">
              (born {formatDate(patient.dob)})
            </Text>
          </Text>
          <Badge variant="outline" color="gray" tt="none" ff="monospace">
            {patient.mrn}
          </Badge>
          {patient.phoneNumber && <Text size="sm">{patient.phoneNumber}</Text>}
        </Group>
        <Allergies patient={patient} />
        {can(user.role, 'vital:read') && <LatestVitals patientId={patient.id} />}
        {can(user.role, 'consultation:read') && <LastVisit patientId={patient.id} />}
      </Stack>
    </Paper>
  );
}
