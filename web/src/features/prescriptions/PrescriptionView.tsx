/**
 * A prescription as everyone sees it: status, prescriber, duplicate-therapy warnings, notes and its drug lines
 * (override reasons in red).
 */
import type { ReactNode } from 'react';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { listOfAllergies, type DispensedLot, type DrugLine, type Prescription } from '@hmis/shared';
import { EditWindowBadge } from '../../components/status';
import { formatDate, formatDateTime } from '../../format';
import { DuplicateTherapyAlert } from './DuplicateTherapy';

const STATUS_COLOR = { pending: 'blue', dispensed: 'green', cancelled: 'gray' } as const;

export function PrescriptionStatusBadge({ status }: { status: Prescription['status'] }) {
  return (
    <Badge size="sm" variant="light" color={STATUS_COLOR[status]}>
      {status}
    </Badge>
  );
}

export function PrescriptionMeta({ prescription: p }: { prescription: Prescription }) {
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        <PrescriptionStatusBadge status={p.status} />
        <Text size="sm">
          Prescribed by <strong>{p.prescriberName}</strong>, {formatDateTime(p.createdAt)}
          {p.dispensedAt && <> · dispensed {formatDateTime(p.dispensedAt)}</>}
        </Text>
        {p.status === 'pending' && <EditWindowBadge record={p} author={p.prescriberName} />}
      </Group>
      <DuplicateTherapyAlert warnings={p.duplicateTherapy} />
    </Stack>
  );
}

/** "Lot B123 (exp 12 Mar 2027) × 10": what went out, for the label and a recall. */
export function lotText(l: DispensedLot): string {
  return `Lot ${l.lotNumber}${l.expiryDate ? ` (exp ${formatDate(l.expiryDate)})` : ''} × ${l.quantity}`;
}

/** The lots a dispensed line was taken from (first expiry first), one per line. */
export function DispensedLots({ lots }: { lots: DispensedLot[] }) {
  if (lots.length === 0)
    return (
      <Text c="dimmed" size="sm">
        —
      </Text>
    );
  return (
    <>
      {lots.map((l) => (
        <Text key={l.lotId} size="sm" style={{ whiteSpace: 'nowrap' }}>
          {lotText(l)}
        </Text>
      ))}
    </>
  );
}

export function DrugLinesTable({
  lines,
  extra,
  actions,
}: {
  lines: DrugLine[];
  extra?: { header: string; cell: (l: DrugLine) => ReactNode };
  actions?: (l: DrugLine) => ReactNode;
}) {
  const dispensed = lines.some((l) => l.dispensedLots.length > 0);
  return (
    <Table withTableBorder striped aria-label="Drug lines">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Drug</Table.Th>
          <Table.Th>Dose</Table.Th>
          <Table.Th>Frequency</Table.Th>
          <Table.Th>Duration</Table.Th>
          <Table.Th>Route</Table.Th>
          <Table.Th ta="right">Quantity</Table.Th>
          {extra && <Table.Th ta="right">{extra.header}</Table.Th>}
          {dispensed && <Table.Th>Dispensed from</Table.Th>}
          <Table.Th>Allergy override</Table.Th>
          {actions && <Table.Th>Actions</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td fw={600}>{l.drugName}</Table.Td>
            <Table.Td>{l.dose}</Table.Td>
            <Table.Td>{l.frequency}</Table.Td>
            <Table.Td>{l.duration}</Table.Td>
            <Table.Td>{l.route}</Table.Td>
            <Table.Td ta="right">{l.quantity}</Table.Td>
            {extra && <Table.Td ta="right">{extra.cell(l)}</Table.Td>}
            {dispensed && (
              <Table.Td>
                <DispensedLots lots={l.dispensedLots} />
              </Table.Td>
            )}
            <Table.Td>
              {l.allergyOverrideReason ? (
                <Text size="sm" c="red.9" fw={600}>
                  {l.allergyOverrideFor && `Allergy to ${listOfAllergies(l.allergyOverrideFor)}: `}
                  {l.allergyOverrideReason}
                </Text>
              ) : (
                <Text c="dimmed" size="sm">
                  —
                </Text>
              )}
            </Table.Td>
            {actions && <Table.Td>{actions(l)}</Table.Td>}
          </Table.Tr>
        ))}
        {lines.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={10}>
              <Text c="dimmed" size="sm">
                No drug lines.
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}
