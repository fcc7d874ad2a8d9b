/**
 * Allergies as the forms hold them and as the screens word them (decision 015): coded (a drug class, a drug substance,
 * a non-drug allergen) or free text, with reaction, severity and who recorded each when.
 */
import { allergyClassById, type AllergyInput, type AllergyKind, type AllergyRecord, type AllergySeverity, type Staff } from '@hmis/shared';
import { formatDateTime } from '../../format';

/** One allergy row of a form: what the inputs hold, plus who recorded it (shown, never sent: the server keeps it). */
export interface AllergyValues {
  kind: AllergyKind;
  code: string | null;
  substance: string;
  reaction: string;
  severity: AllergySeverity;
  recordedBy: number | null;
  recordedByName: string | null;
  recordedAt: string | null;
  /** As recorded on the server (not added or re-picked here): its recorder is shown. */
  saved: boolean;
}

export const emptyAllergy = (): AllergyValues => ({
  kind: 'text',
  code: null,
  substance: '',
  reaction: '',
  severity: 'unknown',
  recordedBy: null,
  recordedByName: null,
  recordedAt: null,
  saved: false,
});

export const allergyValuesOf = (a: AllergyRecord): AllergyValues => ({ ...a, reaction: a.reaction ?? '', saved: true });

/** The API's input for a row. An allergy sent back as it was read keeps its recorder on the server. */
export const allergyInputOf = (v: AllergyValues): AllergyInput => ({
  kind: v.kind,
  code: v.kind === 'text' ? null : v.code,
  substance: v.substance,
  reaction: v.reaction.trim() || null,
  severity: v.severity,
});

export const SEVERITY_LABEL: Record<AllergySeverity, string> = {
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
  unknown: 'Not known',
};
export const SEVERITY_OPTIONS = (['unknown', 'mild', 'moderate', 'severe'] as const).map((value) => ({
  value,
  label: SEVERITY_LABEL[value],
}));

/** The typeahead's groups, in the order they are offered. */
export const KIND_GROUP: Record<Exclude<AllergyKind, 'text'>, string> = {
  class: 'Drug classes',
  substance: 'Drug substances',
  allergen: 'Other allergens',
};

/** What a recorded allergy is coded as, in a few words: "Drug class (ATC J01C)", "Not coded (free text)". */
export function codedAs(a: Pick<AllergyRecord, 'kind' | 'code'>): string {
  switch (a.kind) {
    case 'class': {
      const prefixes = allergyClassById(a.code ?? '')?.atcPrefixes ?? [];
      const shown = prefixes.length > 3 ? `${prefixes.slice(0, 3).join(', ')}…` : prefixes.join(', ');
      return shown ? `Drug class (ATC ${shown})` : 'Drug class';
    }
    case 'substance':
      return `Drug substance (ATC ${a.code})`;
    case 'allergen':
      return 'Other allergen (not a drug)';
    case 'text':
      return 'Not coded (free text)';
  }
}

/** "Recorded by you, Today 14:05"; an allergy from before allergies were coded has no recorder. */
export function recordedText(
  a: Pick<AllergyRecord, 'recordedBy' | 'recordedByName' | 'recordedAt'>,
  user: Pick<Staff, 'id'> | null,
): string {
  if (!a.recordedAt) return 'Recorded before allergies were coded';
  // Records kept before the recorder's name was stored name them by staff ID.
  const who = a.recordedBy == null ? '' : a.recordedBy === user?.id ? ' by you' : ` by ${a.recordedByName ?? `staff ID ${a.recordedBy}`}`;
  return `Recorded${who}, ${formatDateTime(a.recordedAt)}`;
}
