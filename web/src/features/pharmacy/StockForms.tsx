/**
 * The pharmacist's stock changes (the stock ledger, decision 014): receive a lot, adjust a lot's count with a reason,
 * write a lot off, return units to a lot. Each form validates with the shared schema the server uses; what the server
 * still refuses (an expiry date in the past, more than the lot holds) is shown beside its field. What is typed is kept
 * as a draft (per drug or lot) until it is saved or discarded, and a save that could not reach the server offers Retry
 * (decision 024).
 */
import type { FormEventHandler, ReactNode } from 'react';
import { Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { Controller, useController, type Control, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import type { ZodType } from 'zod';
import {
  ADJUSTMENT_REASONS,
  STOCK_WORDS,
  StockAdjustmentInput,
  StockReceiptInput,
  StockReturnInput,
  StockWriteOffInput,
  WRITE_OFF_REASONS,
  type Drug,
  type DrugLot,
  type StockChange,
} from '@hmis/shared';
import type { Draft, DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { DateField, DialogActions } from '../../components/fields';
import { formSchema, fromForm, parseDecimal, useSchemaForm, useServerErrors } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { formatDate } from '../../format';
import { queryClient, trpc } from '../../trpc';

/** A signed whole number as typed: the typographic minus (−3) and a leading plus (+5) read as -3 and 5. */
export function parseSignedUnits(text: string): string {
  return text
    .trim()
    .replace(/^[\u2212\u2013]/, '-')
    .replace(/^\+/, '');
}

interface DialogProps {
  title: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: FormEventHandler;
  topError: unknown;
  pending: boolean;
  draft: Draft;
}

/** A receipt's draft is the drug's; an adjustment's, write-off's or return's is the lot's. Not about a patient. */
export const receiptDraft = (drugId: number): DraftKey => ({ form: `stock-receipt-d${drugId}` });
const lotDraft = (action: 'adjust' | 'write-off' | 'return', lot: DrugLot): DraftKey => ({ form: `stock-${action}-l${lot.id}` });

/**
 * A stock form's state: the form on the shared schema with its draft, server refusals beside `fields`, and on success
 * the draft dropped, the drug's queries refreshed, `done` said and the dialog closed. `dialog` joins it to the mutation
 * that sends it.
 */
function useStockForm<V extends FieldValues>({
  schema,
  defaultValues,
  fields,
  draft,
  onClose,
  done,
}: {
  schema: ZodType;
  defaultValues: DefaultValues<V>;
  fields: readonly string[];
  draft: DraftKey;
  onClose: () => void;
  done: (c: StockChange) => string;
}) {
  const form = useSchemaForm<V>(schema, { defaultValues, draft });
  const { topError, onServerError } = useServerErrors(form, fields);
  const options = {
    onSuccess: (change: StockChange) => {
      form.draft.saved();
      void queryClient.invalidateQueries({ queryKey: trpc.drugs.pathKey() });
      notifications.show({ color: 'green', message: done(change) });
      onClose();
    },
    onError: onServerError,
  };
  // The resolver hands the submit handler the schema's output: the mutation's input.
  const dialog = (mutation: { mutate: (input: never) => void; isPending: boolean }, title: string, submitLabel: string): DialogProps => ({
    title,
    submitLabel,
    onClose,
    topError,
    draft: form.draft,
    pending: mutation.isPending,
    onSubmit: form.handleSubmit((input) => mutation.mutate(input as never)),
  });
  return { form, errors: form.formState.errors, options, dialog };
}

/** The dialog around a stock form; `lot` names the lot it changes. */
function StockDialog({ lot, children, ...props }: DialogProps & { lot?: DrugLot; children: ReactNode }) {
  return (
    <Modal opened onClose={props.onClose} title={props.title} size="lg">
      <form noValidate onSubmit={props.onSubmit}>
        <Stack gap="xs">
          <DraftNotice draft={props.draft} />
          <SaveAlert error={props.topError} />
          {lot && <LotLine lot={lot} />}
          {children}
          <DialogActions onCancel={props.onClose} submitLabel={props.submitLabel} pending={props.pending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The lot a dialog changes, as on the shelf: "Lot B123 · expires 12 Mar 2027 · 40 on hand". */
function LotLine({ lot }: { lot: DrugLot }) {
  return (
    <Text size="sm">
      <strong>{lot.drugName}</strong>, lot <strong>{lot.lotNumber}</strong> · expiry {formatDate(lot.expiryDate)} ·{' '}
      {lot.onHand.toLocaleString()} on hand
    </Text>
  );
}

/** Why stock changed, in the words of STOCK_WORDS. */
function ReasonSelect<V extends FieldValues & { reason: string }>(props: {
  control: Control<V>;
  reasons: readonly (keyof typeof STOCK_WORDS)[];
  description: string;
  error?: string;
}) {
  const { field } = useController({ control: props.control, name: 'reason' as Path<V> });
  return (
    <Select
      label="Reason"
      withAsterisk
      allowDeselect={false}
      description={props.description}
      data={props.reasons.map((r) => ({ value: r, label: STOCK_WORDS[r] }))}
      error={props.error}
      name={field.name}
      ref={field.ref}
      value={field.value as string}
      onBlur={field.onBlur}
      onChange={(v) => field.onChange(v ?? '')}
    />
  );
}

const units = (n: number) => `${Math.abs(n).toLocaleString()} unit${Math.abs(n) === 1 ? '' : 's'}`;

interface ReceiptValues {
  lotNumber: string;
  expiryDate: string;
  quantity: string;
  supplier: string;
  unitCost: string;
  note: string;
}

export function ReceiveForm({ drug, onClose }: { drug: Drug; onClose: () => void }) {
  const schema = formSchema(StockReceiptInput, (v: ReceiptValues) => ({
    ...fromForm({ ...v }),
    drugId: drug.id,
    unitCost: parseDecimal(v.unitCost),
  }));
  const {
    form,
    errors: e,
    options,
    dialog,
  } = useStockForm<ReceiptValues>({
    schema,
    defaultValues: { lotNumber: '', expiryDate: '', quantity: '', supplier: '', unitCost: '', note: '' },
    fields: ['lotNumber', 'expiryDate', 'quantity', 'supplier', 'unitCost', 'note'],
    draft: receiptDraft(drug.id),
    onClose,
    done: (c) => `Received ${units(c.movements[0]?.quantity ?? 0)} of ${drug.name}: ${c.stockOnHand.toLocaleString()} on hand`,
  });
  const receive = useMutation(trpc.drugs.receive.mutationOptions(options));
  return (
    <StockDialog {...dialog(receive, `Receive ${drug.name} ${drug.strength}`, 'Receive stock')}>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
        <TextInput
          label="Lot number"
          withAsterisk
          data-autofocus
          description="As printed on the pack"
          error={e.lotNumber?.message}
          {...form.register('lotNumber')}
        />
        <Controller
          control={form.control}
          name="expiryDate"
          render={({ field }) => (
            <DateField
              label="Expiry date"
              withAsterisk
              description="e.g. 31/12/2027"
              error={e.expiryDate?.message}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              ref={field.ref}
            />
          )}
        />
        <TextInput
          label="Quantity"
          withAsterisk
          inputMode="numeric"
          description="Units received"
          error={e.quantity?.message}
          {...form.register('quantity')}
        />
        <TextInput
          label="Unit cost"
          inputMode="decimal"
          description="Optional, per unit, e.g. 12.50"
          error={e.unitCost?.message}
          {...form.register('unitCost')}
        />
      </SimpleGrid>
      <TextInput label="Supplier" withAsterisk error={e.supplier?.message} {...form.register('supplier')} />
      <Textarea
        label="Note"
        minRows={1}
        description="Optional: delivery note or invoice number"
        error={e.note?.message}
        {...form.register('note')}
      />
    </StockDialog>
  );
}

interface AdjustValues {
  quantity: string;
  reason: string;
  note: string;
}

export function AdjustForm({ lot, onClose }: { lot: DrugLot; onClose: () => void }) {
  const schema = formSchema(StockAdjustmentInput, (v: AdjustValues) => ({
    ...fromForm({ ...v, quantity: parseSignedUnits(v.quantity) }),
    drugId: lot.drugId,
    lotId: lot.id,
  }));
  const {
    form,
    errors: e,
    options,
    dialog,
  } = useStockForm<AdjustValues>({
    schema,
    defaultValues: { quantity: '', reason: '', note: '' },
    fields: ['quantity', 'reason', 'note'],
    draft: lotDraft('adjust', lot),
    onClose,
    done: (c) => `Lot ${lot.lotNumber} adjusted: ${c.movements[0]?.lotBalance.toLocaleString() ?? '?'} on hand in the lot`,
  });
  const adjust = useMutation(trpc.drugs.adjust.mutationOptions(options));
  const change = Number(parseSignedUnits(form.watch('quantity') ?? ''));
  const after = Number.isInteger(change) && change !== 0 ? lot.onHand + change : null;
  return (
    <StockDialog {...dialog(adjust, `Adjust lot ${lot.lotNumber}`, 'Adjust')} lot={lot}>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
        <TextInput
          label="Quantity"
          withAsterisk
          data-autofocus
          description={
            after === null
              ? 'The change: 5 when the count found 5 more, -3 for 3 taken away'
              : `The lot will have ${after.toLocaleString()}`
          }
          error={e.quantity?.message}
          {...form.register('quantity')}
        />
        <ReasonSelect
          control={form.control}
          reasons={ADJUSTMENT_REASONS}
          description="Damaged and lost stock only goes down"
          error={e.reason?.message}
        />
      </SimpleGrid>
      <Textarea label="Note" minRows={1} description="Optional: what was found" error={e.note?.message} {...form.register('note')} />
    </StockDialog>
  );
}

interface WriteOffValues {
  reason: string;
  quantity: string;
  note: string;
}

export function WriteOffForm({ lot, onClose }: { lot: DrugLot; onClose: () => void }) {
  const schema = formSchema(StockWriteOffInput, (v: WriteOffValues) => ({ ...fromForm({ ...v }), drugId: lot.drugId, lotId: lot.id }));
  const {
    form,
    errors: e,
    options,
    dialog,
  } = useStockForm<WriteOffValues>({
    schema,
    // Only an expired lot can be written off as expired (the server's rule); anything else leaves as a recall.
    defaultValues: { reason: lot.expiryStatus === 'expired' ? 'expired' : 'recalled', quantity: '', note: '' },
    fields: ['reason', 'quantity', 'note'],
    draft: lotDraft('write-off', lot),
    onClose,
    done: (c) => `Wrote off ${units(c.movements[0]?.quantity ?? 0)} of lot ${lot.lotNumber}`,
  });
  const writeOff = useMutation(trpc.drugs.writeOff.mutationOptions(options));
  return (
    <StockDialog {...dialog(writeOff, `Write off lot ${lot.lotNumber}`, 'Write off')} lot={lot}>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
        <ReasonSelect
          control={form.control}
          reasons={WRITE_OFF_REASONS}
          description="Past its expiry date, or recalled by the maker"
          error={e.reason?.message}
        />
        <TextInput
          label="Quantity"
          inputMode="numeric"
          data-autofocus
          description={`Leave blank to write off all ${lot.onHand.toLocaleString()}`}
          error={e.quantity?.message}
          {...form.register('quantity')}
        />
      </SimpleGrid>
      <Textarea
        label="Note"
        minRows={1}
        description="Optional: recall notice, where the stock went"
        error={e.note?.message}
        {...form.register('note')}
      />
    </StockDialog>
  );
}

interface ReturnValues {
  quantity: string;
  note: string;
}

export function ReturnForm({ lot, onClose }: { lot: DrugLot; onClose: () => void }) {
  const schema = formSchema(StockReturnInput, (v: ReturnValues) => ({ ...fromForm({ ...v }), drugId: lot.drugId, lotId: lot.id }));
  const {
    form,
    errors: e,
    options,
    dialog,
  } = useStockForm<ReturnValues>({
    schema,
    defaultValues: { quantity: '', note: '' },
    fields: ['quantity', 'note'],
    draft: lotDraft('return', lot),
    onClose,
    done: (c) => `Returned ${units(c.movements[0]?.quantity ?? 0)} to lot ${lot.lotNumber}`,
  });
  const back = useMutation(trpc.drugs.returnToStock.mutationOptions(options));
  return (
    <StockDialog {...dialog(back, `Return to lot ${lot.lotNumber}`, 'Return to stock')} lot={lot}>
      <TextInput
        label="Quantity"
        withAsterisk
        inputMode="numeric"
        data-autofocus
        description="Unused units brought back"
        error={e.quantity?.message}
        {...form.register('quantity')}
      />
      <Textarea
        label="Note"
        withAsterisk
        minRows={1}
        description="From where: the ward or the patient"
        error={e.note?.message}
        {...form.register('note')}
      />
    </StockDialog>
  );
}
