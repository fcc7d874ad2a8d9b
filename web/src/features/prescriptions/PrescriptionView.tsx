/** A prescription as everyone sees it: status, prescriber, notes and its drug lines (override reasons in red). */
import type { ReactNode } from 'react';
import { Badge, Group, Table, Text } from '@mantine/core';
import type { DrugLine, Prescription } from '@hmis/shared';
import { EditWindowBadge } from '../../components/status';
import { formatDateTime } from '../../format';

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
    <Group gap="xs" wrap="wrap">
      <PrescriptionStatusBadge status={p.status} />
      <Text size="sm">
        Prescribed by <strong>{p.prescriberName}</strong>, {formatDateTime(p.createdAt)}
        {p.dispensedAt && <> · dispensed {formatDateTime(p.dispensedAt)}</>}
      </Text>
      {p.status === 'pending' && <EditWindowBadge record={p} author={p.prescriberName} />}
    </Group>
  );
}

export function DrugLinesTable({ lines, extra, actions }: { lines: DrugLine[]; extra?: { header: string; cell: (l: DrugLine) => ReactNode }; actions?: (l: DrugLine) => ReactNode }) {
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
            <Table.Td>{l.allergyOverrideReason ? <Text size="sm" c="red.9" fw={600}>{l.allergyOverrideReason}</Text> : <Text c="dimmed" size="sm">—</Text>}</Table.Td>
            {actions && <Table.Td>{actions(l)}</Table.Td>}
          </Table.Tr>
        ))}
        {lines.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={9}>
              <Text c="dimmed" size="sm">No drug lines.</Text>
            </Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}
