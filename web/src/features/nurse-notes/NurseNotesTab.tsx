/** Nurse notes, newest first; nurses add them, and change or delete their own within the window. */
import { useRef, useState } from 'react';
import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { can, NurseNoteCreateInput, NurseNoteUpdateInput, type NurseNote } from '@hmis/shared';
import { useUser } from '../../app/session';
import { useNewRecord } from '../../app/shortcuts';
import { EditDeleteActions } from '../../components/ConfirmButton';
import { hasDraft, type DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { formSchema, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { canChange, EditWindowBadge, Empty, ErrorState, RowsSkeleton } from '../../components/status';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';

const route = getRouteApi('/patients/$patientId/notes');
const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.nurseNotes.pathKey() });
/** A new note's draft, or a change to one version of a note. */
const noteDraft = (patientId: number, note?: NurseNote): DraftKey => ({
  form: note ? `nurse-note-${note.id}-v${note.version}` : 'nurse-note',
  patientId,
});

function NoteForm({ patientId, note, onDone }: { patientId: number; note?: NurseNote; onDone?: () => void }) {
  const schema = note
    ? formSchema(NurseNoteUpdateInput, (v: { note: string }) => ({ patientId, id: note.id, version: note.version, note: v.note }))
    : formSchema(NurseNoteCreateInput, (v: { note: string }) => ({ patientId, note: v.note }));
  const form = useSchemaForm<{ note: string }>(schema, { defaultValues: { note: note?.note ?? '' }, draft: noteDraft(patientId, note) });
  const { topError, onServerError } = useServerErrors(form, ['note']);
  const opts = {
    onSuccess: () => {
      form.draft.saved();
      form.reset({ note: '' }); // only once saved, so a failed save keeps the text
      refresh();
      notifications.show({ color: 'green', message: note ? 'Note updated' : 'Note added' });
      onDone?.();
    },
    onError: onServerError,
  };
  const create = useMutation(trpc.nurseNotes.create.mutationOptions(opts));
  const update = useMutation(trpc.nurseNotes.update.mutationOptions(opts));
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((input) =>
        note ? update.mutate(input as unknown as NurseNoteUpdateInput) : create.mutate(input as unknown as NurseNoteCreateInput),
      )}
    >
      <Stack gap="xs">
        <DraftNotice draft={form.draft} />
        <SaveAlert error={topError} />
        <Textarea
          label={note ? 'Note' : 'New note'}
          minRows={3}
          autoFocus={!!note}
          error={form.formState.errors.note?.message}
          {...form.register('note')}
        />
        <Group>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {note ? 'Save note' : 'Add note'}
          </Button>
          {onDone && (
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function NoteItem({ note }: { note: NurseNote }) {
  const user = useUser();
  // A change not yet saved (a draft) opens the form again.
  const [editing, setEditing] = useState(() => canChange(note, user) && hasDraft(noteDraft(note.patientId, note)));
  const remove = useMutation(
    trpc.nurseNotes.delete.mutationOptions({
      onSuccess: refresh,
      onError: (e) => notifications.show({ color: 'red', title: 'Not deleted', message: e.message }),
    }),
  );
  return (
    <Paper component="li" withBorder p="xs" style={{ listStyle: 'none' }}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {note.nurseName}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(note.createdAt)}
          </Text>
          <EditWindowBadge record={note} author={note.nurseName} />
        </Group>
        {canChange(note, user) && !editing && (
          <EditDeleteActions
            what="note"
            onEdit={() => setEditing(true)}
            pending={remove.isPending}
            onDelete={() => remove.mutate({ patientId: note.patientId, id: note.id })}
            details={<Text size="sm">The audit trail keeps a record of the deleted note.</Text>}
          />
        )}
      </Group>
      {editing ? (
        <NoteForm key={note.version} patientId={note.patientId} note={note} onDone={() => setEditing(false)} />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {note.note}
        </Text>
      )}
    </Paper>
  );
}

export function NurseNotesTab() {
  const { patientId } = route.useParams();
  const user = useUser();
  const list = useInfiniteQuery(
    trpc.nurseNotes.list.infiniteQueryOptions({ patientId, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const notes = list.data?.pages.flatMap((p) => p.items) ?? [];
  // The new note's box is always open: Alt+N (and the palette's "New nurse note") puts the cursor in it.
  const newNote = useRef<HTMLDivElement>(null);
  useNewRecord(
    'nurse-note',
    'New nurse note',
    can(user.role, 'nursenote:write') ? () => newNote.current?.querySelector('textarea')?.focus() : null,
  );
  return (
    <Stack gap="sm">
      <Title order={2}>Nurse notes</Title>
      {can(user.role, 'nursenote:write') && (
        <Paper withBorder p="sm" ref={newNote}>
          <NoteForm patientId={patientId} />
        </Paper>
      )}
      {list.isPending ? (
        <RowsSkeleton />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : notes.length === 0 ? (
        <Empty>No nurse notes yet.</Empty>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} aria-label="Nurse notes">
          {notes.map((n) => (
            <NoteItem key={n.id} note={n} />
          ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Button variant="subtle" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show older notes
        </Button>
      )}
    </Stack>
  );
}
