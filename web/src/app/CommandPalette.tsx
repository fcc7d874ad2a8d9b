/**
 * The command palette (Ctrl+K): one box that finds a patient by name, MRN or phone, or runs an action — "new
 * consultation for …", "record vital signs", "open pharmacy queue". Arrow keys move, Enter runs, Esc closes. An ARIA
 * combobox: the box owns a listbox and says which option is active, so a screen reader follows the arrows.
 * Loaded when first opened (decision 023).
 */
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Group, Kbd, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import { can, type Permission } from '@hmis/shared';
import { fullName } from '../format';
import { trpc } from '../trpc';
import classes from './CommandPalette.module.css';
import { currentPatientId, openPatients } from './open-patients';
import { useUser } from './session';
import { paletteTakesKeys, requestNewRecord, setPaletteOpen, typedBeforeBox, usePaletteOpen, type NewRecordKind } from './shortcuts';

interface Command {
  id: string;
  label: string;
  /** Shown at the right: where it goes or what it is. */
  hint: string;
  /** Extra words it is found by. */
  words?: string;
  run: () => void;
}

interface Destination {
  to: string;
  label: string;
  words: string;
  permission?: Permission;
}

const PAGES: Destination[] = [
  { to: '/patients', label: 'Find a patient', words: 'patients search list', permission: 'patient:read' },
  { to: '/pharmacy', label: 'Open pharmacy queue', words: 'prescriptions dispense pending', permission: 'prescription:read' },
  { to: '/drugs', label: 'Open drug inventory', words: 'stock formulary lots', permission: 'drug:read' },
  { to: '/drugs?view=expiring', label: 'Expiring stock report', words: 'expiry lots report', permission: 'drug:read' },
  { to: '/staff', label: 'Manage staff', words: 'users accounts', permission: 'staff:manage' },
  { to: '/audit', label: 'Open audit trail', words: 'log history', permission: 'audit:read' },
  { to: '/overview', label: 'Facility statistics', words: 'overview numbers', permission: 'stats:read' },
  { to: '/account', label: 'Change my password', words: 'account' },
];

/** "New …" for the patient on screen: the chart page it is done on, and who may do it. */
const PATIENT_ACTIONS: { kind: NewRecordKind; label: string; page: string; permission: Permission }[] = [
  { kind: 'consultation', label: 'New consultation', page: 'consultations', permission: 'consultation:write' },
  { kind: 'vitals', label: 'Record vital signs', page: 'vitals', permission: 'vital:write' },
  { kind: 'nurse-note', label: 'New nurse note', page: 'notes', permission: 'nursenote:write' },
];

const matches = (query: string, ...texts: (string | undefined)[]) => {
  const haystack = texts.join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
};

export function CommandPalette() {
  const opened = usePaletteOpen();
  const close = () => setPaletteOpen(false);
  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Go to or do"
      size="lg"
      yOffset="12vh"
      styles={{ title: { fontWeight: 700 } }}
      trapFocus
      // Drawn at once, with no animation: an animated dialog appears a frame later, and keys typed in that frame went
      // to the page below.
      transitionProps={{ duration: 0 }}
      // shortcuts.ts gives the focus back: the box takes it before the dialog could note where it was.
      returnFocus={false}
    >
      {opened && <PaletteBody close={close} />}
    </Modal>
  );
}

function PaletteBody({ close }: { close: () => void }) {
  const user = useUser();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const [query, setQuery] = useState(typedBeforeBox);
  const [active, setActive] = useState(0);
  const [search] = useDebouncedValue(query.trim(), 150);
  const listId = useId();
  // The box takes the focus as it mounts, before the browser paints: the dialog's own focus comes a timer later, and
  // what was typed meanwhile was lost (Ctrl+K, "pharmacy", Enter ran the first command of an empty box). It starts
  // with what was typed while its code was fetched (shortcuts.ts), the caret after it.
  const box = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    const input = box.current;
    input?.focus({ preventScroll: true });
    input?.setSelectionRange(input.value.length, input.value.length);
    paletteTakesKeys();
  }, []);
  const mayFindPatients = can(user.role, 'patient:read');

  const patients = useQuery(
    trpc.patients.list.queryOptions(
      { q: search, limit: 8 },
      { enabled: mayFindPatients && search.length >= 2, placeholderData: keepPreviousData, staleTime: 30_000 },
    ),
  );

  /** The list for what is typed: `typed` is the box's value, which an Enter can see before this render has. */
  const commandsFor = useCallback(
    (typed: string): Command[] => {
      const go = (to: string) => () => {
        close();
        void navigate({ to });
      };
      const list: Command[] = [];
      const patientId = currentPatientId(pathname);
      const here = patientId ? openPatients().find((t) => t.id === patientId) : undefined;
      if (patientId) {
        for (const a of PATIENT_ACTIONS.filter((a) => can(user.role, a.permission))) {
          list.push({
            id: `new-${a.kind}`,
            label: here ? `${a.label} for ${here.name}` : a.label,
            hint: here?.mrn ?? 'this patient',
            words: 'new add create record',
            run: () => {
              close();
              void navigate({ to: `/patients/${patientId}/${a.page}` }).then(() => requestNewRecord(a.kind));
            },
          });
        }
      }
      if (can(user.role, 'patient:write'))
        list.push({ id: 'register', label: 'Register a patient', hint: 'new patient', words: 'new add', run: go('/patients/new') });
      for (const tab of openPatients().filter((t) => t.id !== patientId)) {
        list.push({ id: `tab-${tab.id}`, label: `Back to ${tab.name}`, hint: tab.mrn, words: 'open tab patient', run: go(tab.path) });
      }
      for (const page of PAGES.filter((p) => !p.permission || can(user.role, p.permission))) {
        list.push({ id: `page-${page.to}`, label: page.label, hint: page.to.split('?')[0]!, words: page.words, run: go(page.to) });
      }
      const found = search.length >= 2 ? (patients.data?.items ?? []) : [];
      const patientCommands: Command[] = found.map((p) => ({
        id: `patient-${p.id}`,
        label: fullName(p),
        hint: p.mrn,
        run: go(`/patients/${p.id}`),
      }));
      // The actions the words match come first ("vital signs", "pharmacy"): a name or an MRN matches none of them.
      const q = typed.trim();
      const actions = q ? list.filter((c) => matches(q, c.label, c.hint, c.words)) : list;
      return [...actions, ...patientCommands];
    },
    [close, navigate, pathname, user.role, search, patients.data],
  );
  const commands = useMemo(() => commandsFor(query), [commandsFor, query]);

  useEffect(() => setActive(0), [query, commands.length]);
  const activeIndex = Math.min(active, commands.length - 1);
  const optionId = (i: number) => `${listId}-${i}`;

  const chosen = useRef<Command | null>(null);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (commands.length ? (i + step + commands.length) % commands.length : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // Keys typed fast (a scanner, a loaded computer) can reach Enter before the list has been drawn for them.
      const typed = (e.target as HTMLInputElement).value;
      const list = typed === query ? commands : commandsFor(typed);
      chosen.current = list[typed === query ? activeIndex : 0] ?? list[0] ?? null;
    }
  };
  // Run on the key's release: run on its press, the palette closed and gave the focus back (to a link, say) before
  // the rest of the Enter arrived, which then pressed that link too.
  const onKeyUp = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter' || !chosen.current) return;
    const command = chosen.current;
    chosen.current = null;
    command.run();
  };

  useEffect(() => {
    document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
  });

  const searching = mayFindPatients && query.trim().length >= 2 && (search !== query.trim() || patients.isFetching);
  return (
    <Stack gap="xs">
      <TextInput
        ref={box}
        data-autofocus
        label={mayFindPatients ? 'Patient name, MRN or phone, or an action' : 'An action'}
        placeholder={mayFindPatients ? 'e.g. Okafor, 0000123, vital signs, pharmacy' : 'e.g. pharmacy, password'}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onKeyUp={onKeyUp}
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={commands.length ? optionId(activeIndex) : undefined}
      />
      <div id={listId} role="listbox" aria-label="Results" className={classes.list}>
        {commands.map((c, i) => (
          <UnstyledButton
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            tabIndex={-1}
            className={classes.option}
            data-active={i === activeIndex || undefined}
            onMouseMove={() => setActive(i)}
            onClick={c.run}
          >
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Text size="sm" truncate="end">
                {c.label}
              </Text>
              <Text size="xs" ff={c.id.startsWith('patient-') ? 'monospace' : undefined} className={classes.hint}>
                {c.hint}
              </Text>
            </Group>
          </UnstyledButton>
        ))}
      </div>
      <Text size="xs" c="dimmed" aria-live="polite">
        {searching ? (
          'Searching patients…'
        ) : commands.length === 0 ? (
          mayFindPatients && query.trim().length >= 2 ? (
            `No patient or action matches “${query.trim()}”.`
          ) : (
            'No action matches.'
          )
        ) : (
          <>
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to move, <Kbd size="xs">Enter</Kbd> to open, <Kbd size="xs">Esc</Kbd> to close
          </>
        )}
      </Text>
    </Stack>
  );
}
