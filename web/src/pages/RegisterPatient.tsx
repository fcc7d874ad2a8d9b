/** Record officers register a patient; on success the new chart opens. */
import { useMutation } from '@tanstack/react-query';
import { GENDERS, MARITAL_STATUSES, PatientCreateInput } from '@hmis/shared';
import { queryClient, trpc } from '../trpc';
import { ErrorBox, Field, onSubmit, Panel, readForm, useForm } from '../ui';

/** "penicillin, sulfa drugs" → ["penicillin", "sulfa drugs"] */
const splitList = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function RegisterPatient() {
  const create = useMutation(
    trpc.patients.create.mutationOptions({
      onSuccess: (patient) => {
        void queryClient.invalidateQueries({ queryKey: trpc.patients.list.pathKey() });
        window.location.hash = `/patients/${patient.id}`;
      },
    }),
  );
  const form = useForm(PatientCreateInput, create);
  const e = form.errors;

  return (
    <>
      <h1 className="page-title">
        <a href="#/patients">Patients</a> › Register patient
      </h1>
      <Panel>
        <form
          className="form"
          noValidate
          onSubmit={onSubmit((el) => {
            const v = readForm(el);
            form.submit({
              firstName: v.firstName ?? '',
              lastName: v.lastName ?? '',
              otherNames: v.otherNames,
              gender: v.gender as PatientCreateInput['gender'],
              dob: v.dob ?? '',
              mrn: v.mrn,
              phoneNumber: v.phoneNumber,
              email: v.email,
              maritalStatus: v.maritalStatus as PatientCreateInput['maritalStatus'],
              address: v.address,
              nextOfKin: v.nextOfKin,
              kinAddress: v.kinAddress,
              allergies: splitList(v.allergies),
            });
          })}
        >
          <ErrorBox problem={form.problem} />
          <fieldset>
            <legend>Identity</legend>
            <Field label="First name" required error={e.firstName}>
              <input name="firstName" autoFocus />
            </Field>
            <Field label="Last name" required error={e.lastName}>
              <input name="lastName" />
            </Field>
            <Field label="Other names" error={e.otherNames}>
              <input name="otherNames" />
            </Field>
            <Field label="Sex" required error={e.gender && 'Choose one'}>
              <select name="gender" defaultValue="">
                <option value="" disabled>
                  Choose…
                </option>
                {GENDERS.map((g) => (
                  <option key={g}>{g}</option>
                ))}
              </select>
            </Field>
            <Field label="Date of birth" required error={e.dob}>
              <input name="dob" type="date" max={new Date().toISOString().slice(0, 10)} />
            </Field>
            <Field label="MRN" hint="(blank: assigned)" error={e.mrn}>
              <input name="mrn" />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Contact</legend>
            <Field label="Phone" error={e.phoneNumber}>
              <input name="phoneNumber" type="tel" />
            </Field>
            <Field label="Email" error={e.email}>
              <input name="email" type="email" />
            </Field>
            <Field label="Marital status" error={e.maritalStatus && 'Choose one'}>
              <select name="maritalStatus" defaultValue="">
                <option value="">—</option>
                {MARITAL_STATUSES.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </Field>
            <Field label="Address" wide error={e.address}>
              <input name="address" />
            </Field>
            <Field label="Next of kin" error={e.nextOfKin}>
              <input name="nextOfKin" />
            </Field>
            <Field label="Next of kin's address" wide error={e.kinAddress}>
              <input name="kinAddress" />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Clinical</legend>
            <Field label="Allergies" hint="(comma-separated)" wide error={e.allergies ?? Object.entries(e).find(([k]) => k.startsWith('allergies.'))?.[1]}>
              <input name="allergies" placeholder="e.g. penicillin, latex" />
            </Field>
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={form.pending}>
              {form.pending ? 'Registering…' : 'Register patient'}
            </button>
            <a className="button" href="#/patients">
              Cancel
            </a>
          </div>
        </form>
      </Panel>
    </>
  );
}
