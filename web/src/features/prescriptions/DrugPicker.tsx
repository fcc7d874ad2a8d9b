/**
 * Drug typeahead over the whole formulary: the server searches as the doctor types (name or generic name), each
 * option shows strength, form and stock on hand; expired stock is marked.
 */
import { useState } from 'react';
import { Badge, Combobox, Group, InputBase, Loader, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Drug } from '@hmis/shared';
import { trpc } from '../../trpc';

export function drugLabel(d: Pick<Drug, 'name' | 'strength' | 'formulation'>): string {
  return `${d.name} ${d.strength} ${d.formulation}`;
}

export function StockBadge({ drug }: { drug: Drug }) {
  if (drug.expiryStatus === 'expired')
    return (
      <Badge size="xs" color="red" variant="light">
        expired
      </Badge>
    );
  if (drug.stockOnHand === 0)
    return (
      <Badge size="xs" color="red" variant="light">
        out of stock
      </Badge>
    );
  return (
    <Badge size="xs" color={drug.belowReorderLevel ? 'orange' : 'gray'} variant="light" tt="none">
      {drug.stockOnHand.toLocaleString()} in stock
    </Badge>
  );
}

interface Props {
  label: string;
  value: Drug | null;
  onChange: (drug: Drug | null) => void;
  error?: string;
  autoFocus?: boolean;
}

export function DrugPicker({ label, value, onChange, error, autoFocus }: Props) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState(value ? drugLabel(value) : '');
  const [q] = useDebouncedValue(search.trim(), 150);
  const typing = value === null || search !== drugLabel(value);
  const results = useQuery(
    trpc.drugs.list.queryOptions(
      { q: typing && q ? q : undefined, limit: 20 },
      { enabled: combobox.dropdownOpened, placeholderData: keepPreviousData },
    ),
  );
  const drugs = results.data?.items ?? [];

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        const drug = drugs.find((d) => String(d.id) === id) ?? null;
        onChange(drug);
        setSearch(drug ? drugLabel(drug) : '');
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <InputBase
          label={label}
          withAsterisk
          autoFocus={autoFocus}
          placeholder="Type a drug name…"
          value={search}
          error={error}
          rightSection={results.isFetching ? <Loader size={14} /> : <Combobox.Chevron />}
          rightSectionPointerEvents="none"
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
            if (value) onChange(null);
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => {
            combobox.closeDropdown();
            if (value) setSearch(drugLabel(value));
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options mah={280} style={{ overflowY: 'auto' }}>
          {drugs.length === 0 ? (
            <Combobox.Empty>
              {results.isFetching ? 'Searching…' : q ? `No drug matches “${q}”` : 'Type to search the formulary'}
            </Combobox.Empty>
          ) : (
            drugs.map((d) => (
              <Combobox.Option key={d.id} value={String(d.id)} disabled={d.expiryStatus === 'expired' && d.stockOnHand === 0}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div>
                    <Text size="sm" fw={600}>
                      {drugLabel(d)}
                    </Text>
                    {d.genericName && d.genericName !== d.name && (
                      <Text size="xs" c="dimmed">
                        {d.genericName}
                        {d.brand ? ` · ${d.brand}` : ''}
                      </Text>
                    )}
                  </div>
                  <StockBadge drug={d} />
                </Group>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
