import { Badge, Group, Text } from '@mantine/core';

export function AllergyBadges({ allergies, none = 'none known' }: { allergies: string[]; none?: string }) {
  if (allergies.length === 0)
    return (
      <Text span c="dimmed" size="sm">
        {none}
      </Text>
    );
  return (
    <Group gap={4} wrap="nowrap">
      {allergies.map((a) => (
        <Badge key={a} color="red" variant="light" size="sm" tt="none">
          {a}
        </Badge>
      ))}
    </Group>
  );
}
