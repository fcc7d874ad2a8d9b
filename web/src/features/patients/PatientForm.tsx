/**
 * Demographics and allergies, for registering a patient and for correcting their record. Validated by the shared
 * PatientCreateInput / PatientUpdateInput schemas; an update sends the version it was based on.
 */
import { Button, Divider, Group, Paper, Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { Controller } from 'react-hook-form';
import { GENDERS, MARITAL_STATUSES, PatientCreateInput, PatientUpdateInput, type Patient } from '@hmis/shared';
import type { DraftKey } from '../../components/drafts';
import { formSchema, fromForm, useSchemaForm } from '../../components/forms';
import { DateField } from '../../components/fields';
import { allergyInputOf, allergyValuesOf, type AllergyValues } from './allergies';
import { AllergyFields } from './AllergyFields';

export interface PatientFormValues {
  mrn: string;
  firstName: string;
  lastName: string;
  otherNames: string;
  gender: string;
  dob: string;
  maritalStatus: string;
  phoneNumber: string;
  email: string;
  address: string;
  nextOfKin: string;
  kinAddress: string;
  allergies: AllergyValues[];
}

export const PATIENT_FORM_FIELDS: (keyof PatientFormValues)[] = [
  'mrn',
  'firstName',
  'lastName',
  'otherNames',
  'gender',
  'dob',
  'maritalStatus',
  'phoneNumber',
  'email',
  'address',
  'nextOfKin',
  'kinAddress',
  'allergies',
];

function valuesOf(p: Patient | undefined): PatientFormValues {
  return {
    mrn: p?.mrn ?? '',
    firstName: p?.firstName ?? '',
    lastName: p?.lastName ?? '',
    otherNames: p?.otherNames ?? '',
    gender: p?.gender ?? '',
    dob: p?.dob ?? '',
    maritalStatus: p?.maritalStatus ?? '',
    phoneNumber: p?.phoneNumber ?? '',
    email: p?.email ?? '',
    address: p?.address ?? '',
    nextOfKin: p?.nextOfKin ?? '',
    kinAddress: p?.kinAddress ?? '',
    allergies: p?.allergyRecords.map(allergyValuesOf) ?? [],
  };
}

const createSchema = formSchema(PatientCreateInput, (v: PatientFormValues) => ({
  ...fromForm({ ...v }),
  allergies: v.allergies.map(allergyInputOf),
}));

/** A registration's draft (no patient yet), or a change to one version of a patient's record. */
export const patientDraft = (patient?: Patient): DraftKey =>
  patient ? { form: `patient-details-v${patient.version}`, patientId: patient.id } : { form: 'patient-registration' };

export function usePatientForm(patient?: Patient) {
  const schema = patient
    ? formSchema(PatientUpdateInput, (v: PatientFormValues) => ({
        ...fromForm({ ...v }, null),
        allergies: v.allergies.map(allergyInputOf),
        // Required fields are never cleared: a blank one stays blank so the schema names it.
        firstName: v.firstName,
        lastName: v.lastName,
        gender: v.gender || undefined,
        dob: v.dob || undefined,
        mrn: v.mrn.trim() === patient.mrn ? undefined : v.mrn || undefined,
        id: patient.id,
        version: patient.version,
      }))
    : createSchema;
  return useSchemaForm<PatientFormValues>(schema, { defaultValues: valuesOf(patient), draft: patientDraft(patient) });
}
export type PatientFormApi = ReturnType<typeof usePatientForm>;
export { valuesOf as patientFormValues };

export function PatientFields({ form, editing }: { form: PatientFormApi; editing: boolean }) {
  const e = form.formState.errors;
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <TextInput label="First name" withAsterisk error={e.firstName?.message} {...form.register('firstName')} />
        <TextInput label="Last name" withAsterisk error={e.lastName?.message} {...form.register('lastName')} />
        <TextInput label="Other names" error={e.otherNames?.message} {...form.register('otherNames')} />
        <TextInput
          label="MRN"
          description={editing ? undefined : 'Leave blank to assign the next number'}
          error={e.mrn?.message}
          {...form.register('mrn')}
        />
        <Controller
          control={form.control}
          name="gender"
          render={({ field }) => (
            <Select
              label="Sex"
              withAsterisk
              allowDeselect={false}
              data={[...GENDERS]}
              error={e.gender?.message}
              {...field}
              onChange={(v) => field.onChange(v ?? '')}
            />
          )}
        />
        <Controller
          control={form.control}
          name="dob"
          render={({ field }) => (
            <DateField
              label="Date of birth"
              withAsterisk
              description="e.g. 21/05/1988 or 1988-05-21"
              maxDate={new Date()}
              minDate={new Date(1900, 0, 1)}
              defaultLevel="decade"
              error={e.dob?.message}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              ref={field.ref}
              name={field.name}
            />
          )}
        />
        <Controller
          control={form.control}
          name="maritalStatus"
          render={({ field }) => (
            <Select
              label="Marital status"
              data={[...MARITAL_STATUSES]}
              clearable
              error={e.maritalStatus?.message}
              {...field}
              onChange={(v) => field.onChange(v ?? '')}
            />
          )}
        />
        <TextInput label="Phone" placeholder="0803 555 0101" error={e.phoneNumber?.message} {...form.register('phoneNumber')} />
        <TextInput label="Email" type="email" error={e.email?.message} {...form.register('email')} />
        <TextInput label="Next of kin" error={e.nextOfKin?.message} {...form.register('nextOfKin')} />
        <Textarea label="Address" minRows={1} error={e.address?.message} {...form.register('address')} />
        <Textarea label="Next of kin's address" minRows={1} error={e.kinAddress?.message} {...form.register('kinAddress')} />
      </SimpleGrid>
      <Divider my="sm" />
      <AllergyFields
        control={form.control as never}
        register={form.register as never}
        setValue={form.setValue as never}
        errors={form.formState.errors}
      />
    </Paper>
  );
}

export function FormActions({ pending, submitLabel, onCancel }: { pending: boolean; submitLabel: string; onCancel?: () => void }) {
  return (
    <Group mt="sm">
      <Button type="submit" loading={pending}>
        {submitLabel}
      </Button>
      {onCancel && (
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      )}
    </Group>
  );
}
