/**
 * A patient's allergies wherever a patient is named: one badge each, severe ones filled red, free text marked "not
 * coded"; pointing at (or focusing) a badge tells what it is coded as, the reaction and who recorded it when.
 * Given names only (a patient's `allergies`), the badges show the names and nothing they cannot know. `AllergyList`
 * is the same in full, for the chart.
 */
import { useId } from 'react';
import { Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { AllergyRecord } from '@hmis/shared';
import { useUser } from '../../app/session';
import { codedAs, recordedText, SEVERITY_LABEL } from './allergies';

function badgeText(a: AllergyRecord, compact: boolean): string {
  const severity = a.severity === 'unknown' ? '' : ` · ${a.severity}`;
  return compact ? a.substance : `${a.substance}${severity}`;
}

function AllergyBadge({ allergy: a, compact }: { allergy: AllergyRecord; compact: boolean }) {
  const user = useUser();
  const detail = [
    codedAs(a),
    a.reaction ? `Reaction: ${a.reaction}` : 'Reaction not recorded',
    `Severity: ${SEVERITY_LABEL[a.severity].toLowerCase()}`,
    recordedText(a, user),
  ];
  const id = useId();
  return (
    <Tooltip
      label={
        <Stack gap={0}>
          {detail.map((d) => (
            <span key={d}>{d}</span>
          ))}
        </Stack>
      }
      withArrow
      multiline
      maw={320}
      events={{ hover: true, focus: true, touch: true }}
    >
      <Badge
        color="red"
        variant={a.severity === 'severe' ? 'filled' : 'light'}
        size="sm"
        // Focusable (except in lists, where the row is the stop) so the details show from the keyboard too; a screen
        // reader reads them as the badge's description.
        tabIndex={compact ? undefined : 0}
        aria-describedby={id}
        rightSection={
          a.kind === 'text' && !compact ? (
            <Text span size="10px" fs="italic" fw={500}>
              not coded
            </Text>
          ) : undefined
        }
      >
        {badgeText(a, compact)}
        <span id={id} hidden>
          {detail.join('. ')}
        </span>
      </Badge>
    </Tooltip>
  );
}

/** `compact`: substance names only (the patient list); the details stay in each badge's tooltip. */
export function AllergyBadges({
  allergies,
  none = 'none known',
  compact = false,
}: {
  allergies: readonly (string | AllergyRecord)[];
  none?: string;
  compact?: boolean;
}) {
  if (allergies.length === 0)
    return (
      <Text span c="dimmed" size="sm">
        {none}
      </Text>
    );
  return (
    <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
      {allergies.map((a) =>
        typeof a === 'string' ? (
          <Badge key={a} color="red" variant="light" size="sm">
            {a}
          </Badge>
        ) : (
          <AllergyBadge key={`${a.kind}:${a.code ?? ''}:${a.substance}`} allergy={a} compact={compact} />
        ),
      )}
    </Group>
  );
}

const SEVERITY_COLOR = { severe: 'red', moderate: 'orange', mild: 'yellow', unknown: 'gray' } as const;

/** Every allergy with what it is coded as, the reaction, the severity and who recorded it when. */
export function AllergyList({ allergies }: { allergies: readonly AllergyRecord[] }) {
  const user = useUser();
  if (allergies.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No known allergies.
      </Text>
    );
  return (
    <Table aria-label="Allergies" withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Substance</Table.Th>
          <Table.Th>Reaction</Table.Th>
          <Table.Th>Severity</Table.Th>
          <Table.Th>Recorded</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {allergies.map((a) => (
          <Table.Tr key={`${a.kind}:${a.code ?? ''}:${a.substance}`}>
            <Table.Td>
              <Text size="sm" fw={600} c="red.9">
                {a.substance}
              </Text>
              <Text size="xs" c={a.kind === 'text' ? 'var(--hmis-warn-text)' : 'dimmed'}>
                {codedAs(a)}
              </Text>
            </Table.Td>
            <Table.Td>
              {a.reaction ?? (
                <Text span size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Badge size="sm" color={SEVERITY_COLOR[a.severity]} variant={a.severity === 'severe' ? 'filled' : 'light'}>
                {SEVERITY_LABEL[a.severity]}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed">
                {recordedText(a, user)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
