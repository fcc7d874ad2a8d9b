/**
 * Add a drug to the formulary or change one (pharmacists). A new drug may come with its opening stock (one lot, with
 * its expiry date); after that stock changes only through the stock ledger, so on edit it is shown, not editable.
 * What is typed is kept as a draft until it is saved or discarded (decision 024).
 */
import { Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { Controller } from 'react-hook-form';
import { DrugCreateInput, DrugUpdateInput, type Drug } from '@hmis/shared';
import type { DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { DateField, DialogActions } from '../../components/fields';
import { formSchema, fromForm, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { formatDate } from '../../format';
import { queryClient, trpc } from '../../trpc';

interface Values {
  name: string;
  genericName: string;
  brand: string;
  formulation: string;
  strength: string;
  route: string;
  reorderLevel: string;
  /** Opening stock (new drugs only). */
  stockOnHand: string;
  expiryDate: string;
  lotNumber: string;
}
const FIELDS = [
  'name',
  'genericName',
  'brand',
  'formulation',
  'strength',
  'route',
  'stockOnHand',
  'reorderLevel',
  'expiryDate',
  'lotNumber',
];
const LEDGER_HINT = 'Changes through receipts and adjustments';

/** A new drug's draft, or a change to one version of a drug. Not about a patient. */
export const drugDraft = (drug?: Drug): DraftKey => ({ form: drug ? `drug-${drug.id}-v${drug.version}` : 'drug' });

export function DrugForm({ drug, onClose }: { drug?: Drug; onClose: () => void }) {
  const schema = drug
    ? formSchema(DrugUpdateInput, ({ name, genericName, brand, formulation, strength, route, reorderLevel }: Values) => ({
        ...fromForm({ genericName, brand, reorderLevel }, null),
        id: drug.id,
        version: drug.version,
        name,
        formulation,
        strength,
        route,
      }))
    : formSchema(DrugCreateInput, (v: Values) => ({
        ...fromForm({ ...v }),
        name: v.name,
        formulation: v.formulation,
        strength: v.strength,
        route: v.route,
      }));
  const form = useSchemaForm<Values>(schema, {
    defaultValues: {
      name: drug?.name ?? '',
      genericName: drug?.genericName ?? '',
      brand: drug?.brand ?? '',
      formulation: drug?.formulation ?? '',
      strength: drug?.strength ?? '',
      route: drug?.route ?? '',
      reorderLevel: String(drug?.reorderLevel ?? ''),
      stockOnHand: '',
      expiryDate: '',
      lotNumber: '',
    },
    draft: drugDraft(drug),
  });
  const e = form.formState.errors;
  const { topError, onServerError } = useServerErrors(form, FIELDS);
  const opts = {
    onSuccess: (d: Drug) => {
      form.draft.saved();
      void queryClient.invalidateQueries({ queryKey: trpc.drugs.pathKey() });
      notifications.show({ color: 'green', message: drug ? `${d.name} saved` : `${d.name} added to the formulary` });
      onClose();
    },
    onError: onServerError,
  };
  const create = useMutation(trpc.drugs.create.mutationOptions(opts));
  const update = useMutation(trpc.drugs.update.mutationOptions(opts));

  return (
    <Modal opened onClose={onClose} title={drug ? `Edit ${drug.name}` : 'Add a drug'} size="lg">
      <form
        noValidate
        onSubmit={form.handleSubmit((input) =>
          drug ? update.mutate(input as unknown as DrugUpdateInput) : create.mutate(input as unknown as DrugCreateInput),
        )}
      >
        <Stack gap="xs">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
            <TextInput label="Name" withAsterisk data-autofocus error={e.name?.message} {...form.register('name')} />
            <TextInput label="Generic name" error={e.genericName?.message} {...form.register('genericName')} />
            <TextInput label="Brand" error={e.brand?.message} {...form.register('brand')} />
            <TextInput
              label="Formulation"
              withAsterisk
              placeholder="tablet, capsule, injection…"
              error={e.formulation?.message}
              {...form.register('formulation')}
            />
            <TextInput label="Strength" withAsterisk placeholder="500 mg" error={e.strength?.message} {...form.register('strength')} />
            <TextInput label="Route" withAsterisk placeholder="oral, IV, IM…" error={e.route?.message} {...form.register('route')} />
            <TextInput
              label="Reorder level"
              inputMode="numeric"
              description="Flagged at or below this stock"
              error={e.reorderLevel?.message}
              {...form.register('reorderLevel')}
            />
            {drug ? (
              <>
                <TextInput
                  label="Stock on hand"
                  readOnly
                  variant="filled"
                  description={LEDGER_HINT}
                  value={drug.stockOnHand.toLocaleString()}
                />
                <TextInput
                  label="Nearest expiry date"
                  readOnly
                  variant="filled"
                  description={LEDGER_HINT}
                  value={formatDate(drug.expiryDate)}
                />
              </>
            ) : (
              <>
                <TextInput
                  label="Opening stock"
                  inputMode="numeric"
                  description="Units on the shelf now"
                  error={e.stockOnHand?.message}
                  {...form.register('stockOnHand')}
                />
                <Controller
                  control={form.control}
                  name="expiryDate"
                  render={({ field }) => (
                    <DateField
                      label="Expiry date"
                      description="Of the opening stock, e.g. 31/12/2027"
                      clearable
                      error={e.expiryDate?.message}
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      ref={field.ref}
                    />
                  )}
                />
                <TextInput
                  label="Lot number"
                  description="Optional: OPENING when not given"
                  error={e.lotNumber?.message}
                  {...form.register('lotNumber')}
                />
              </>
            )}
          </SimpleGrid>
          <DialogActions onCancel={onClose} submitLabel={drug ? 'Save drug' : 'Add drug'} pending={create.isPending || update.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
