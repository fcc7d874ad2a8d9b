/**
 * Create a staff account (any role) or edit one; validated by the shared StaffCreateInput / StaffUpdateInput. What is
 * typed is kept as a draft until it is saved or discarded (decision 024), except passwords: never in a draft.
 */
import { Modal, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Controller } from 'react-hook-form';
import { GENDERS, LIMITS, ROLES, StaffCreateInput, StaffUpdateInput, type Role, type Staff } from '@hmis/shared';
import type { DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { DateField, DialogActions } from '../../components/fields';
import { formSchema, fromForm, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { roleLabel } from '../../format';
import { queryClient, trpc } from '../../trpc';

interface Values {
  username: string;
  email: string;
  password: string;
  role: string;
  jobTitle: string;
  firstName: string;
  lastName: string;
  otherNames: string;
  gender: string;
  dob: string;
  phoneNumber: string;
  address: string;
}
const FIELDS = [
  'username',
  'email',
  'password',
  'role',
  'jobTitle',
  'firstName',
  'lastName',
  'otherNames',
  'gender',
  'dob',
  'phoneNumber',
  'address',
];

/**
 * A new account's draft, or a change to one version of an account. The password is excluded: a draft lies in the
 * browser's localStorage, readable by anyone at this computer with the developer tools, and it would outlive the
 * dialog by up to 24 hours. A restored draft therefore asks for the initial password again.
 */
export const staffDraft = (staff?: Staff): DraftKey => ({
  form: staff ? `staff-${staff.id}-v${staff.version}` : 'staff',
  exclude: ['password'],
});

export function StaffForm({ staff, role, onClose }: { staff?: Staff; role?: Role; onClose: () => void }) {
  const schema = staff
    ? formSchema(StaffUpdateInput, (v: Values) => {
        const { password: _p, role: _r, ...rest } = v;
        return {
          ...fromForm({ ...rest }, null),
          firstName: v.firstName,
          lastName: v.lastName,
          username: v.username,
          email: v.email,
          gender: v.gender || undefined,
          id: staff.id,
          version: staff.version,
        };
      })
    : formSchema(StaffCreateInput, (v: Values) => ({
        ...fromForm({ ...v }),
        firstName: v.firstName,
        lastName: v.lastName,
        password: v.password,
      }));
  const form = useSchemaForm<Values>(schema, {
    defaultValues: {
      username: staff?.username ?? '',
      email: staff?.email ?? '',
      password: '',
      role: staff?.role ?? role ?? '',
      jobTitle: staff?.jobTitle ?? '',
      firstName: staff?.firstName ?? '',
      lastName: staff?.lastName ?? '',
      otherNames: staff?.otherNames ?? '',
      gender: staff?.gender ?? '',
      dob: staff?.dob ?? '',
      phoneNumber: staff?.phoneNumber ?? '',
      address: staff?.address ?? '',
    },
    draft: staffDraft(staff),
  });
  const e = form.formState.errors;
  const { topError, onServerError } = useServerErrors(form, FIELDS);
  const opts = {
    onSuccess: (s: Staff) => {
      form.draft.saved();
      void queryClient.invalidateQueries({ queryKey: trpc.staff.pathKey() });
      notifications.show({ color: 'green', message: staff ? `${s.fullName} saved` : `${s.fullName} can now sign in as ${s.username}` });
      onClose();
    },
    onError: onServerError,
  };
  const create = useMutation(trpc.staff.create.mutationOptions(opts));
  const update = useMutation(trpc.staff.update.mutationOptions(opts));

  return (
    <Modal opened onClose={onClose} title={staff ? `Edit ${staff.fullName}` : 'New staff account'} size="lg">
      <form
        noValidate
        onSubmit={form.handleSubmit((input) =>
          staff ? update.mutate(input as unknown as StaffUpdateInput) : create.mutate(input as unknown as StaffCreateInput),
        )}
      >
        <Stack gap="xs">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
            <TextInput label="First name" withAsterisk data-autofocus error={e.firstName?.message} {...form.register('firstName')} />
            <TextInput label="Last name" withAsterisk error={e.lastName?.message} {...form.register('lastName')} />
            <TextInput label="Other names" error={e.otherNames?.message} {...form.register('otherNames')} />
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
            {!staff && (
              <Controller
                control={form.control}
                name="role"
                render={({ field }) => (
                  <Select
                    label="Role"
                    withAsterisk
                    allowDeselect={false}
                    data={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
                    error={e.role?.message}
                    {...field}
                    onChange={(v) => field.onChange(v ?? '')}
                  />
                )}
              />
            )}
            <TextInput label="Job title" placeholder="defaults to the role" error={e.jobTitle?.message} {...form.register('jobTitle')} />
            <TextInput label="Username" withAsterisk autoComplete="off" error={e.username?.message} {...form.register('username')} />
            <TextInput label="Email" withAsterisk type="email" error={e.email?.message} {...form.register('email')} />
            {!staff && (
              <PasswordInput
                label="Initial password"
                withAsterisk
                description={`At least ${LIMITS.passwordMin} characters; ask them to change it`}
                autoComplete="new-password"
                error={e.password?.message}
                {...form.register('password')}
              />
            )}
            <Controller
              control={form.control}
              name="dob"
              render={({ field }) => (
                <DateField
                  label="Date of birth"
                  clearable
                  maxDate={new Date()}
                  error={e.dob?.message}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  ref={field.ref}
                />
              )}
            />
            <TextInput label="Phone" error={e.phoneNumber?.message} {...form.register('phoneNumber')} />
            <TextInput label="Address" error={e.address?.message} {...form.register('address')} />
          </SimpleGrid>
          <DialogActions
            onCancel={onClose}
            submitLabel={staff ? 'Save' : 'Create account'}
            pending={create.isPending || update.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** The admin sets a new password; the person's sessions end. */
export function ResetPassword({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  // A password reset is not an edit of what the list showed: it applies to the account as it is now.
  const fresh = useQuery(trpc.staff.get.queryOptions({ id: staff.id }, { staleTime: 0 }));
  const schema = formSchema(StaffUpdateInput, (v: { password: string }) => ({
    id: staff.id,
    version: fresh.data?.version ?? staff.version,
    password: v.password,
  }));
  // No draft: a password is never written to the browser's storage.
  const form = useSchemaForm<{ password: string }>(schema, { defaultValues: { password: '' } });
  const { topError, onServerError } = useServerErrors(form, ['password']);
  const update = useMutation(
    trpc.staff.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.staff.pathKey() });
        notifications.show({ color: 'green', message: `New password set for ${staff.fullName}; their sessions have ended` });
        onClose();
      },
      onError: onServerError,
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Reset the password of ${staff.fullName}`}>
      <form noValidate onSubmit={form.handleSubmit((input) => update.mutate(input as unknown as StaffUpdateInput))}>
        <Stack gap="xs">
          <SaveAlert error={topError} />
          <PasswordInput
            label="New password"
            description={`At least ${LIMITS.passwordMin} characters. Tell it to them in person; they should change it.`}
            autoComplete="new-password"
            data-autofocus
            error={form.formState.errors.password?.message}
            {...form.register('password')}
          />
          <DialogActions onCancel={onClose} submitLabel="Set password" pending={update.isPending || fresh.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
