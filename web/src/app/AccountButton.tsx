/** Who is signed in, top right: the account menu's button (AccountMenu.tsx), drawn the same before the menu loads. */
import { Avatar, Group, Text, UnstyledButton, VisuallyHidden, type UnstyledButtonProps } from '@mantine/core';
import { roleLabel } from '../format';
import { useUser } from './session';

export function AccountButton(props: UnstyledButtonProps & React.ComponentPropsWithRef<'button'>) {
  const user = useUser();
  return (
    <UnstyledButton c="white" {...props}>
      <Group gap={8} wrap="nowrap">
        <Avatar size={26} color="blue" variant="filled" aria-hidden>
          {`${user.firstName[0] ?? ''}${user.lastName[0] ?? ''}`}
        </Avatar>
        <div>
          <Text size="sm" fw={600} lh={1.1} truncate="end" maw={200}>
            {user.fullName}
          </Text>
          <Text size="xs" c="gray.4" lh={1.1}>
            {roleLabel(user.role)} · {user.staffNumber}
          </Text>
        </div>
        <VisuallyHidden>, account menu</VisuallyHidden>
      </Group>
    </UnstyledButton>
  );
}
