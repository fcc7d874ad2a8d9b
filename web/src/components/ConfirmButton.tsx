/** A button that asks first: for deleting, dispensing, deactivating. The dialog is Mantine's (focus trap, Esc). */
import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, type ButtonProps } from '@mantine/core';

interface Props extends Omit<ButtonProps, 'children' | 'onClick'> {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  confirmColor?: string;
}

export function ConfirmButton({ label, title, children, confirmLabel, onConfirm, pending, confirmColor = 'red', ...button }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)} loading={pending}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} centered>
        <Stack gap="md">
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              color={confirmColor}
              data-autofocus
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Edit and Delete for the author's own record within its window; Delete asks first. */
export function EditDeleteActions({
  onEdit,
  what,
  details,
  onDelete,
  pending,
}: {
  onEdit: () => void;
  what: string;
  details: ReactNode;
  onDelete: () => void;
  pending: boolean;
}) {
  return (
    <Group gap={4} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
      <Button size="compact-xs" variant="default" onClick={onEdit}>
        Edit
      </Button>
      <ConfirmButton
        size="compact-xs"
        variant="subtle"
        color="red"
        label="Delete"
        title={`Delete this ${what}?`}
        confirmLabel="Delete"
        pending={pending}
        onConfirm={onDelete}
      >
        {details}
      </ConfirmButton>
    </Group>
  );
}
