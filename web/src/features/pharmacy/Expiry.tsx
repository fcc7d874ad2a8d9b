/** An expiry date as the pharmacy reads it: red when past, orange within the expiring-soon window (the server decides). */
import { Badge, Text } from '@mantine/core';
import type { ExpiryStatus } from '@hmis/shared';
import { formatDate } from '../../format';

export function Expiry({ date, status }: { date: string | null; status: ExpiryStatus }) {
  const text = formatDate(date);
  if (status === 'expired')
    return (
      <Badge color="red" variant="light" size="sm">
        expired {text}
      </Badge>
    );
  if (status === 'expiringSoon')
    return (
      <Badge color="orange" variant="light" size="sm">
        expires {text}
      </Badge>
    );
  return <Text size="sm">{text}</Text>;
}
