/**
 * Recording and coding a patient's allergies from the chart (record officers and doctors: 'allergy:write'): the whole
 * list is saved with patients.setAllergies and the version that was read. Allergies left as they were keep who
 * recorded them; a free-text one coded here is recorded by the user now.
 */
import { Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { PatientAllergiesInput, type Patient } from '@hmis/shared';
import { DialogActions } from '../../components/fields';
import { DraftNotice } from '../../components/DraftNotice';
import { formSchema, useSchemaForm, useServerErrors } from '../../components/forms';
import { fullName } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { allergyInputOf, allergyValuesOf, type AllergyValues } from './allergies';
import { AllergyFields } from './AllergyFields';
import { SaveProblem } from './SaveProblem';

interface Values {
  allergies: AllergyValues[];
}

function AllergiesForm({ patient, onClose }: { patient: Patient; onClose: () => void }) {
  const schema = formSchema(PatientAllergiesInput, (v: Values) => ({
    id: patient.id,
    version: patient.version,
    allergies: v.allergies.map(allergyInputOf),
  }));
  const form = useSchemaForm<Values>(schema, {
    defaultValues: { allergies: patient.allergyRecords.map(allergyValuesOf) },
    draft: { form: `allergies-v${patient.version}`, patientId: patient.id },
  });
  const { topError, setTopError, onServerError } = useServerErrors(form, ['allergies']);
  const save = useMutation(
    trpc.patients.setAllergies.mutationOptions({
      onSuccess: (p) => {
        form.draft.saved();
        queryClient.setQueryData(trpc.patients.get.queryKey({ id: p.id }), p);
        void queryClient.invalidateQueries({ queryKey: trpc.patients.list.pathKey() });
        notifications.show({ color: 'green', message: `Allergies of ${fullName(p)} saved` });
        onClose();
      },
      onError: onServerError,
    }),
  );
  return (
    <form noValidate onSubmit={form.handleSubmit((input) => save.mutate(input as unknown as PatientAllergiesInput))}>
      <Stack gap="sm">
        <DraftNotice draft={form.draft} />
        <SaveProblem
          patientId={patient.id}
          save={save}
          topError={topError}
          title="Someone else changed this patient's record first"
          notSaved="The allergies were not saved. Load the latest list, then make your changes again."
          onLatest={(latest) => {
            form.reset({ allergies: latest.allergyRecords.map(allergyValuesOf) });
            setTopError(null);
          }}
        />
        <AllergyFields
          control={form.control as never}
          register={form.register as never}
          setValue={form.setValue as never}
          errors={form.formState.errors}
        />
        <DialogActions onCancel={onClose} submitLabel="Save allergies" pending={save.isPending} />
      </Stack>
    </form>
  );
}

export function AllergiesDialog({ patient, onClose }: { patient: Patient; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={`Allergies of ${fullName(patient)}`} size={900}>
      <AllergiesForm patient={patient} onClose={onClose} />
    </Modal>
  );
}
