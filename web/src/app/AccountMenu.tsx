/**
 * The account menu: the user's name and role, change password, sign out. Loaded when first pointed at, focused or
 * clicked (decision 023: the menu's positioning library is not in the first download).
 */
import { Menu } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { roleLabel } from '../format';
import { AccountButton } from './AccountButton';
import { useSignOut, useUser } from './session';

export function AccountMenu({ defaultOpened }: { defaultOpened: boolean }) {
  const user = useUser();
  const logout = useSignOut();
  return (
    <Menu position="bottom-end" width={220} defaultOpened={defaultOpened}>
      <Menu.Target>
        <AccountButton />
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          Signed in as {user.username} ({roleLabel(user.role)})
        </Menu.Label>
        <Menu.Item component={Link} to="/account">
          Change my password
        </Menu.Item>
        <Menu.Item color="red" onClick={() => logout.mutate()} disabled={logout.isPending}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
