/**
 * Keyboard first (issue 13). Mounted once by the shell:
 * - Ctrl+K (⌘K): the command palette — find a patient, or run an action;
 * - `/`: the page's search box (else the palette);
 * - Alt+N: the current page's "new" (register a patient, new consultation, record vital signs…);
 * - Ctrl+S (⌘S): saves the form being typed in (never the browser's "save page");
 * - Ctrl+1…9: the first nine open patients.
 * - Esc: closes the form panel being typed in (its Cancel); dialogs close on Esc by themselves.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useHotkeys } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { openPatients } from './open-patients';

// ---------------------------------------------------------------------------------------------- the palette's state

let paletteOpen = false;
/** What had the focus when the palette opened: it gets it back when the palette closes without going anywhere. */
let paletteOpener: HTMLElement | null = null;
/**
 * Keys typed after Ctrl+K before the palette's box is on screen (its code is fetched the first time it opens): kept
 * here, not lost nor typed into the page below, and the box starts with them. Null once the box has the keys.
 */
let typedAhead: string | null = null;
const paletteListeners = new Set<() => void>();
export function setPaletteOpen(open: boolean) {
  if (open === paletteOpen) return;
  paletteOpen = open;
  if (open) {
    paletteOpener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    typedAhead = '';
    window.addEventListener('keydown', keepTypedAhead, true);
  } else {
    paletteTakesKeys();
  }
  for (const l of paletteListeners) l();
  if (!open) returnFocusToOpener();
}

function keepTypedAhead(e: KeyboardEvent) {
  if (typedAhead === null || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'Escape') setPaletteOpen(false);
  else if (e.key === 'Backspace') typedAhead = typedAhead.slice(0, -1);
  else if (e.key.length === 1) typedAhead += e.key;
  // Enter runs nothing the user has not seen; other keys (Tab, arrows) do nothing here either.
  e.preventDefault();
  e.stopPropagation();
}

/** What was typed before the palette's box was on screen. */
export const typedBeforeBox = (): string => typedAhead ?? '';
/** The palette's box is on screen and has the focus: keys go to it from now on. */
export function paletteTakesKeys() {
  typedAhead = null;
  window.removeEventListener('keydown', keepTypedAhead, true);
}

/**
 * The palette's box takes the focus as it mounts (so no key typed after Ctrl+K is lost), which is before the dialog
 * could note where the focus was; so it is noted here, and given back here. Only when the focus was left nowhere: a
 * command that opened a page, and the page that put the focus somewhere, are not overruled.
 */
function returnFocusToOpener() {
  const opener = paletteOpener;
  paletteOpener = null;
  window.setTimeout(() => {
    const now = document.activeElement;
    if (opener?.isConnected && (now === null || now === document.body)) opener.focus({ preventScroll: true });
  }, 10);
}
export function usePaletteOpen(): boolean {
  return useSyncExternalStore(
    (l) => {
      paletteListeners.add(l);
      return () => paletteListeners.delete(l);
    },
    () => paletteOpen,
  );
}

// ---------------------------------------------------------------------------------------------- Alt+N

/** What "new" means on the page on screen: its label (for the palette) and what it does. */
export interface NewRecordAction {
  kind: NewRecordKind;
  label: string;
  run: () => void;
}
export type NewRecordKind = 'patient' | 'consultation' | 'vitals' | 'nurse-note' | 'drug' | 'staff';

const newActions: NewRecordAction[] = [];
/** A "new …" asked for from the palette before its page was on screen: run when the page says it can. */
let pendingKind: NewRecordKind | null = null;

/**
 * The page on screen offers this as its "new" (Alt+N, and the palette's "New … for this patient"); the innermost (last
 * mounted) page wins. `run` null: not offered (the user may not create this kind).
 */
export function useNewRecord(kind: NewRecordKind, label: string, run: (() => void) | null) {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  const offered = run !== null;
  useEffect(() => {
    if (!offered) return;
    const entry: NewRecordAction = { kind, label, run: () => latest.current?.() };
    newActions.push(entry);
    if (pendingKind === kind) {
      pendingKind = null;
      entry.run();
    }
    return () => {
      newActions.splice(newActions.indexOf(entry), 1);
    };
  }, [kind, label, offered]);
}

export function currentNewRecord(): NewRecordAction | null {
  return newActions.at(-1) ?? null;
}

/** From the palette: go to a page, then run its "new" once it is on screen. */
export function requestNewRecord(kind: NewRecordKind) {
  const here = newActions.findLast((a) => a.kind === kind);
  if (here) here.run();
  else pendingKind = kind;
}

// ---------------------------------------------------------------------------------------------- Ctrl+S

/** The form Ctrl+S saves: the one holding the focus, else the one in an open dialog, else the only one on the page. */
export function formToSave(): HTMLFormElement | null {
  const focused = document.activeElement?.closest('form');
  if (focused) return focused;
  const inDialog = [...document.querySelectorAll<HTMLFormElement>('[role="dialog"] form')];
  if (inDialog.length === 1) return inDialog[0]!;
  const all = [...document.querySelectorAll<HTMLFormElement>('main form')];
  return all.length === 1 ? all[0]! : null;
}

// ---------------------------------------------------------------------------------------------- Esc

/**
 * Esc in a form panel on the page (a new consultation, vital signs, a note) presses its Cancel. Dialogs close on Esc
 * by themselves, and an open list (a select's options) closes first.
 */
export function cancelFormPanel() {
  if (document.querySelector('[role="dialog"]')) return;
  const active = document.activeElement;
  if (active?.getAttribute('aria-expanded') === 'true') return;
  const form = active?.closest('form');
  const cancel = form && [...form.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel');
  cancel?.click();
}

// ---------------------------------------------------------------------------------------------- the shell's keys

/** The page's search box: the input marked `data-page-search`. */
function focusPageSearch(): boolean {
  const input = document.querySelector<HTMLInputElement>('[data-page-search]');
  if (!input) return false;
  input.focus();
  input.select();
  return true;
}

export function useShortcuts() {
  const navigate = useNavigate();
  // These work while typing too.
  useHotkeys(
    [
      ['mod+K', () => setPaletteOpen(!paletteOpen), { preventDefault: true }],
      ['mod+S', () => formToSave()?.requestSubmit(), { preventDefault: true }],
      ['Escape', cancelFormPanel, { preventDefault: false }],
      ...Array.from({ length: 9 }, (_, i): [string, () => void, { preventDefault: boolean }] => [
        `ctrl+${i + 1}`,
        () => {
          const tab = openPatients()[i];
          if (tab) void navigate({ to: tab.path });
        },
        { preventDefault: true },
      ]),
    ],
    [],
  );
  // These are letters: not while typing in a field.
  useHotkeys([
    ['/', () => (focusPageSearch() ? undefined : setPaletteOpen(true)), { preventDefault: true }],
    ['alt+N', () => currentNewRecord()?.run(), { preventDefault: true, usePhysicalKeys: true }],
  ]);
}
