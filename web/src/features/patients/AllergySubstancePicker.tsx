/**
 * The allergy substance typeahead: what is typed is the allergy, as free text, until a drug class, a drug substance of
 * the formulary or a non-drug allergen is picked from the server's suggestions (patients.allergySubstances); typing
 * again turns it back into free text. Typing, a click or the down arrow opens the suggestions; arrow keys move through
 * them, Enter picks one; Enter with none highlighted keeps the text as typed.
 */
import { forwardRef, type ReactNode } from 'react';
import { Combobox, Group, InputBase, Loader, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { LIMITS, type AllergyKind, type AllergySubstance } from '@hmis/shared';
import { trpc } from '../../trpc';
import { KIND_GROUP } from './allergies';

export interface SubstanceValue {
  kind: AllergyKind;
  code: string | null;
  substance: string;
}

interface Props {
  label: ReactNode;
  value: SubstanceValue;
  onChange: (value: SubstanceValue) => void;
  onBlur?: () => void;
  description?: ReactNode;
  error?: string;
  autoFocus?: boolean;
}

const FREE_TEXT = 'text|';
const optionValue = (s: Pick<AllergySubstance, 'kind' | 'code'>) => `${s.kind}|${s.code ?? ''}`;

export const AllergySubstancePicker = forwardRef<HTMLInputElement, Props>(function AllergySubstancePicker(
  { label, value, onChange, onBlur, description, error, autoFocus },
  ref,
) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const text = value.substance;
  const [q] = useDebouncedValue(text.trim(), 200);
  const results = useQuery(
    trpc.patients.allergySubstances.queryOptions(
      { q },
      { enabled: combobox.dropdownOpened && q.length > 0, placeholderData: keepPreviousData, staleTime: 5 * 60_000 },
    ),
  );
  // Suggestions for an earlier query are kept on screen while the next loads, but not once the input is cleared.
  const options = q ? (results.data ?? []) : [];
  const groups = (Object.keys(KIND_GROUP) as (keyof typeof KIND_GROUP)[])
    .map((kind) => ({ kind, label: KIND_GROUP[kind], items: options.filter((o) => o.kind === kind) }))
    .filter((g) => g.items.length > 0);

  const nothingCoded = groups.length === 0 && !results.isFetching && results.isFetched && q === text.trim();

  function pick(v: string) {
    if (v === FREE_TEXT) onChange({ kind: 'text', code: null, substance: text.trim() });
    else {
      const s = options.find((o) => optionValue(o) === v);
      if (s) onChange({ kind: s.kind, code: s.code, substance: s.substance });
    }
    combobox.closeDropdown();
  }

  return (
    <Combobox store={combobox} onOptionSubmit={pick}>
      <Combobox.Target withExpandedAttribute>
        <InputBase
          ref={ref}
          label={label}
          withAsterisk
          description={description}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          error={error}
          autoFocus={autoFocus}
          maxLength={LIMITS.allergy}
          placeholder="Drug, drug class or allergen…"
          value={text}
          rightSection={results.isFetching ? <Loader size={14} /> : null}
          rightSectionPointerEvents="none"
          onChange={(e) => {
            // Typing makes it free text again: a coded allergy is only ever what was picked.
            onChange({ kind: 'text', code: null, substance: e.currentTarget.value });
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          // Not on focus: a dialog focuses its first allergy on opening, which is no request for suggestions.
          onClick={() => combobox.openDropdown()}
          onKeyDown={(e) => {
            // Enter with no option highlighted keeps the text as typed rather than sending the whole form.
            if (e.key === 'Enter' && combobox.dropdownOpened && combobox.getSelectedOptionIndex() === -1) {
              e.preventDefault();
              combobox.closeDropdown();
            }
          }}
          onBlur={() => {
            combobox.closeDropdown();
            onBlur?.();
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options mah={320} style={{ overflowY: 'auto' }}>
          {!text.trim() ? (
            <Combobox.Empty>Type a drug, a drug class (e.g. penicillins) or an allergen (e.g. latex)</Combobox.Empty>
          ) : (
            <>
              {groups.map((g) => (
                <Combobox.Group key={g.kind} label={g.label}>
                  {g.items.map((s) => (
                    <Combobox.Option key={optionValue(s)} value={optionValue(s)}>
                      <Group justify="space-between" wrap="nowrap" gap="xs">
                        <Text size="sm" fw={600}>
                          {s.substance}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {s.detail}
                        </Text>
                      </Group>
                    </Combobox.Option>
                  ))}
                </Combobox.Group>
              ))}
              <Combobox.Group label={nothingCoded ? `Nothing coded matches “${q}”` : 'Free text'}>
                <Combobox.Option value={FREE_TEXT}>
                  <Text size="sm">Record “{text.trim()}” as free text</Text>
                </Combobox.Option>
              </Combobox.Group>
            </>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
});
