/**
 * A consultation's prescription. The doctor who holds the consultation writes it (drug typeahead, allergy check as
 * the drug is chosen against the coded allergies, duplicate therapy warned, stock compared with quantity) and, while
 * it is pending and within the window, edits or removes lines, adds lines or cancels it.
 */
import { useState } from 'react';
import { Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useFieldArray, useWatch } from 'react-hook-form';
import {
  can,
  DrugLineCreateInput,
  DrugLineUpdateInput,
  PrescriptionCreateInput,
  type CheckedAllergy,
  type Consultation,
  type Drug,
  type DrugLine,
  type Patient,
  type Prescription,
} from '@hmis/shared';
import { useUser } from '../../app/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DialogActions } from '../../components/fields';
import { hasDraft, type DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { formSchema, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { canChange, ErrorState, ProblemAlert, RowsSkeleton } from '../../components/status';
import { problemOf, queryClient, trpc } from '../../trpc';
import { DuplicateTherapyAlert, duplicatesAmong, useDuplicatesWith } from './DuplicateTherapy';
import { emptyLine, LineFields, lineFormProps, lineInput, missingOverrideReasons, reasonStillCovers, type LineValues } from './LineFields';
import { DrugLinesTable, PrescriptionMeta } from './PrescriptionView';

function refresh(p?: Prescription) {
  if (p) queryClient.setQueryData(trpc.prescriptions.get.queryKey({ patientId: p.patientId, consultationId: p.consultationId }), p);
  void queryClient.invalidateQueries({ queryKey: trpc.prescriptions.pathKey() });
}

function reasonRequired(
  form: { setError: (name: any, e: { message: string }, o?: { shouldFocus: boolean }) => void },
  prefixes: string[],
  allergies: readonly CheckedAllergy[],
  lines: LineValues[],
) {
  const missing = missingOverrideReasons(lines, allergies);
  missing.forEach((i, n) =>
    form.setError(
      `${prefixes[i]}allergyOverrideReason`,
      { message: 'Give the clinical reason for prescribing despite the allergy' },
      { shouldFocus: n === 0 },
    ),
  );
  return missing.length > 0;
}

/** A new prescription's draft, a line to add to one, or a change to one version of a line. */
const prescriptionDraft = (patientId: number, consultationId: number): DraftKey => ({ form: `prescription-c${consultationId}`, patientId });
const lineDraft = (p: Prescription, line?: DrugLine): DraftKey => ({
  form: line ? `prescription-line-${line.id}-v${line.version}` : `prescription-c${p.consultationId}-new-line`,
  patientId: p.patientId,
});

interface CreateValues {
  notes: string;
  lines: LineValues[];
}

function NewPrescription({ patient, consultation }: { patient: Patient; consultation: Consultation }) {
  const schema = formSchema(PrescriptionCreateInput, (v: CreateValues) => ({
    patientId: patient.id,
    consultationId: consultation.id,
    notes: v.notes.trim() || undefined,
    lines: v.lines.map(lineInput),
  }));
  const form = useSchemaForm<CreateValues>(schema, {
    defaultValues: { notes: '', lines: [emptyLine()] },
    draft: prescriptionDraft(patient.id, consultation.id),
  });
  const lines = useFieldArray({ control: form.control, name: 'lines' });
  const picked = useWatch({ control: form.control, name: 'lines' }).map((l) => l.drug);
  const { topError, onServerError } = useServerErrors(form, ['lines', 'notes']);
  const create = useMutation(
    trpc.prescriptions.create.mutationOptions({
      onSuccess: (p) => {
        form.draft.saved();
        refresh(p);
        notifications.show({ color: 'green', message: 'Prescription saved and sent to the pharmacy' });
      },
      onError: onServerError,
    }),
  );

  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((input) => {
        if (
          reasonRequired(
            form,
            lines.fields.map((_, i) => `lines.${i}.`),
            patient.allergyRecords,
            form.getValues('lines'),
          )
        )
          return;
        create.mutate(input as unknown as PrescriptionCreateInput);
      })}
    >
      <Stack gap="sm">
        <DraftNotice draft={form.draft} />
        <SaveAlert error={topError} />
        {lines.fields.map((f, i) => (
          <Paper key={f.id} withBorder p="xs" component="fieldset" style={{ margin: 0 }}>
            <Group justify="space-between" mb={4}>
              <Text component="legend" fw={600} size="sm">
                Drug {i + 1}
              </Text>
              {lines.fields.length > 1 && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => lines.remove(i)}>
                  Remove drug {i + 1}
                </Button>
              )}
            </Group>
            <LineFields
              prefix={`lines.${i}.`}
              number={lines.fields.length > 1 ? i + 1 : undefined}
              {...lineFormProps(form)}
              allergies={patient.allergyRecords}
              autoFocus={i > 0}
            />
          </Paper>
        ))}
        <DuplicateTherapyAlert warnings={duplicatesAmong(picked)} />
        <Textarea label="Notes for the pharmacist" minRows={1} error={form.formState.errors.notes?.message} {...form.register('notes')} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Save prescription
          </Button>
          <Button variant="default" onClick={() => lines.append(emptyLine())}>
            Add another drug
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One line, in a dialog: for adding a line to a saved prescription and for changing one. */
function LineDialog({
  patient,
  prescription,
  line,
  drug,
  onClose,
}: {
  patient: Patient;
  prescription: Prescription;
  line?: DrugLine;
  drug?: Drug;
  onClose: () => void;
}) {
  const ref = { patientId: prescription.patientId, consultationId: prescription.consultationId };
  const schema = line
    ? formSchema(DrugLineUpdateInput, (v: LineValues) => ({
        ...ref,
        ...lineInput(v),
        allergyOverrideReason: v.allergyOverrideReason.trim() || null,
        id: line.id,
        version: line.version,
      }))
    : formSchema(DrugLineCreateInput, (v: LineValues) => ({ ...ref, ...lineInput(v) }));
  // A reason that does not cover an allergy recorded since it was given is not offered again.
  const stale = line && !reasonStillCovers(line, drug, patient.allergyRecords) ? line : undefined;
  const form = useSchemaForm<LineValues>(schema, {
    defaultValues: line
      ? {
          drug: drug ?? null,
          dose: line.dose,
          frequency: line.frequency,
          duration: line.duration,
          route: line.route,
          quantity: String(line.quantity),
          allergyOverrideReason: stale ? '' : (line.allergyOverrideReason ?? ''),
        }
      : emptyLine(),
    draft: lineDraft(prescription, line),
  });
  const { topError, onServerError } = useServerErrors(form, [
    'drugId',
    'dose',
    'frequency',
    'duration',
    'route',
    'quantity',
    'allergyOverrideReason',
  ]);
  const duplicates = useDuplicatesWith(
    prescription.lines.filter((l) => l.id !== line?.id),
    useWatch({ control: form.control, name: 'drug' }),
  );
  const opts = {
    onSuccess: () => {
      form.draft.saved();
      refresh();
      onClose();
    },
    onError: onServerError,
  };
  const add = useMutation(trpc.prescriptions.addLine.mutationOptions(opts));
  const update = useMutation(trpc.prescriptions.updateLine.mutationOptions(opts));
  return (
    <Modal opened onClose={onClose} title={line ? `Change ${line.drugName}` : 'Add a drug'} size="xl">
      <form
        noValidate
        onSubmit={form.handleSubmit((input) => {
          if (reasonRequired(form, [''], patient.allergyRecords, [form.getValues()])) return;
          if (line) update.mutate(input as unknown as DrugLineUpdateInput);
          else add.mutate(input as unknown as DrugLineCreateInput);
        })}
      >
        <Stack gap="sm">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          <LineFields
            prefix=""
            {...lineFormProps(form)}
            allergies={patient.allergyRecords}
            earlierReason={stale ? { reason: stale.allergyOverrideReason!, covers: stale.allergyOverrideFor! } : undefined}
            autoFocus
          />
          <DuplicateTherapyAlert warnings={duplicates} />
          <DialogActions
            onCancel={onClose}
            submitLabel={line ? 'Save line' : 'Add to prescription'}
            pending={add.isPending || update.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}

function LineActions({ patient, prescription, line }: { patient: Patient; prescription: Prescription; line: DrugLine }) {
  const [editing, setEditing] = useState(false);
  const drug = useQuery(trpc.drugs.get.queryOptions({ id: line.drugId }, { enabled: editing }));
  const remove = useMutation(trpc.prescriptions.deleteLine.mutationOptions({ onSuccess: () => refresh() }));
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="default" onClick={() => setEditing(true)}>
        Change
      </Button>
      <ConfirmButton
        size="compact-xs"
        variant="subtle"
        color="red"
        label="Remove"
        title={`Remove ${line.drugName}?`}
        confirmLabel="Remove line"
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ patientId: prescription.patientId, consultationId: prescription.consultationId, id: line.id })}
      >
        <Text size="sm">The line is removed from this prescription before it is dispensed.</Text>
      </ConfirmButton>
      {remove.error != null && (
        <Text size="xs" c="red.9" role="alert">
          {problemOf(remove.error)?.message}
        </Text>
      )}
      {editing && drug.data && (
        <LineDialog patient={patient} prescription={prescription} line={line} drug={drug.data} onClose={() => setEditing(false)} />
      )}
    </Group>
  );
}

export function PrescriptionPanel({ patient, consultation }: { patient: Patient; consultation: Consultation }) {
  const user = useUser();
  const ref = { patientId: patient.id, consultationId: consultation.id };
  const query = useQuery(trpc.prescriptions.get.queryOptions(ref, { retry: false }));
  /** Null until asked: then a line not yet added (a draft) opens its dialog again. */
  const [adding, setAdding] = useState<boolean | null>(null);
  const cancel = useMutation(trpc.prescriptions.update.mutationOptions({ onSuccess: (p) => refresh(p) }));
  const none = problemOf(query.error)?.code === 'NOT_FOUND';
  const mayWrite = can(user.role, 'prescription:write') && canChange(consultation, user);

  let body: React.ReactNode;
  if (query.isPending) body = <RowsSkeleton rows={2} />;
  else if (none)
    body = mayWrite ? (
      <NewPrescription patient={patient} consultation={consultation} />
    ) : (
      <Text size="sm" c="dimmed">
        No prescription for this consultation.
      </Text>
    );
  else if (query.isError) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else {
    const p = query.data;
    const editable = p.status === 'pending' && canChange(p, user);
    body = (
      <Stack gap="xs">
        <Group justify="space-between">
          <PrescriptionMeta prescription={p} />
          {editable && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setAdding(true)}>
                Add a drug
              </Button>
              <ConfirmButton
                size="xs"
                variant="light"
                color="red"
                label="Cancel prescription"
                title="Cancel this prescription?"
                confirmLabel="Cancel prescription"
                pending={cancel.isPending}
                onConfirm={() => cancel.mutate({ ...ref, version: p.version, status: 'cancelled' })}
              >
                <Text size="sm">The pharmacy will no longer dispense it. This cannot be undone.</Text>
              </ConfirmButton>
            </Group>
          )}
        </Group>
        <ProblemAlert error={cancel.error} />
        {p.notes && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {p.notes}
          </Text>
        )}
        <DrugLinesTable
          lines={p.lines}
          actions={editable ? (l) => <LineActions patient={patient} prescription={p} line={l} /> : undefined}
        />
        {(adding ?? (editable && hasDraft(lineDraft(p)))) && (
          <LineDialog patient={patient} prescription={p} onClose={() => setAdding(false)} />
        )}
      </Stack>
    );
  }
  return (
    <Paper withBorder p="sm" component="section" aria-label="Prescription">
      <Title order={2} mb="xs">
        Prescription
      </Title>
      {body}
    </Paper>
  );
}
