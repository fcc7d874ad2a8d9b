// @vitest-environment jsdom
/**
 * What a user is shown depends on who they are: the side navigation offers exactly the pages the permission table
 * (shared/src/permissions.ts) lets the role open, and clinical records can be changed only by their author within
 * 24 hours. Data comes from the query cache, as the server would have answered; no request is sent.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { can, DEFAULT_JOB_TITLE, ROLES, type DrugSummary, type NurseNote, type Permission, type Role, type Staff } from '@hmis/shared';
import { Shell } from '../../src/app/Shell';
import { canChange, EditWindowBadge } from '../../src/components/status';
import { NurseNotesTab } from '../../src/features/nurse-notes/NurseNotesTab';
import { queryClient, trpc } from '../../src/trpc';
import { renderRouted, renderUi, signIn, staff, watchNetwork } from './render';

const HOUR = 3_600_000;
const hoursFromNow = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

/** Each page the navigation can lead to, with the permission its route requires (app/routes.tsx guards). */
const PAGES: { href: string; label: string; permission: Permission }[] = [
  { href: '/patients', label: 'Patients', permission: 'patient:read' },
  { href: '/pharmacy', label: 'Pharmacy queue', permission: 'prescription:read' },
  { href: '/drugs', label: 'Drug inventory', permission: 'drug:read' },
  { href: '/staff', label: 'Staff', permission: 'staff:manage' },
  { href: '/audit', label: 'Audit trail', permission: 'audit:read' },
  { href: '/overview', label: 'Facility statistics', permission: 'stats:read' },
];

const allowedPages = (role: Role) => PAGES.filter((p) => can(role, p.permission));

const summary: DrugSummary = { total: 40, belowReorderLevel: 3, expired: 0, expiringSoon: 0, today: '2026-11-03', expiringSoonDays: 90 };

async function renderShellAs(role: Role) {
  const network = watchNetwork();
  signIn(staff(role));
  queryClient.setQueryData(trpc.drugs.summary.queryKey(), summary);
  renderRouted({ shell: Shell, path: '/overview', page: () => <p>Page content</p> });
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  const links = within(nav).getAllByRole('link');
  return { network, nav, links };
}

describe('the side navigation', () => {
  const cases = ROLES.map((role) => {
    const title = DEFAULT_JOB_TITLE[role].toLowerCase();
    return [
      `${/^[aeiou]/.test(title) ? 'an' : 'a'} ${title}`,
      allowedPages(role)
        .map((p) => p.label)
        .join(', '),
      role,
    ] as const;
  });

  it.each(cases)('offers %s exactly: %s', async (_title, _labels, role) => {
    const { links } = await renderShellAs(role);
    expect(links.map((a) => a.getAttribute('href'))).toEqual(allowedPages(role).map((p) => p.href));
    expect(links.map((a) => a.textContent)).toEqual(allowedPages(role).map((p) => expect.stringContaining(p.label)));
  });

  it('gives every role at least one page', () => {
    for (const role of ROLES) expect(allowedPages(role).length, role).toBeGreaterThan(0);
  });

  it('shows the low-stock count beside Drug inventory to those who may read the inventory', async () => {
    const { nav } = await renderShellAs('pharmacist');
    const link = within(nav).getByRole('link', { name: /Drug inventory/ });
    expect(within(link).getByLabelText('3 below reorder level').textContent).toBe('3 low');
  });

  it('marks the page the user is on', async () => {
    const { nav } = await renderShellAs('recordofficer');
    expect(
      within(nav)
        .getByRole('link', { name: /Facility statistics/ })
        .hasAttribute('data-active'),
    ).toBe(true);
    expect(
      within(nav)
        .getByRole('link', { name: /Patients/ })
        .hasAttribute('data-active'),
    ).toBe(false);
  });

  it('draws the navigation from the cache without asking the server', async () => {
    const { network } = await renderShellAs('nurse');
    expect(screen.getByText('Page content')).toBeTruthy();
    expect(network).not.toHaveBeenCalled();
  });
});

describe('who may change a clinical record', () => {
  const author = staff('nurse');
  const colleague = staff('nurse');
  const record = (editableUntil: string, createdBy: number | null = author.id) => ({
    createdBy,
    createdAt: hoursFromNow(-1),
    editableUntil,
  });

  it('lets the author change it within 24 hours', () => {
    expect(canChange(record(hoursFromNow(23)), author)).toBe(true);
  });

  it('does not let another member of staff change it, even within 24 hours', () => {
    expect(canChange(record(hoursFromNow(23)), colleague)).toBe(false);
  });

  it('does not let the author change it once the window has closed', () => {
    expect(canChange(record(hoursFromNow(-0.01)), author)).toBe(false);
  });

  it('does not let anyone change a record without an author', () => {
    expect(canChange(record(hoursFromNow(23), null), author)).toBe(false);
  });
});

describe('the edit-window badge', () => {
  it('says until when a record in its window can be changed', () => {
    renderUi(<EditWindowBadge record={{ createdBy: 1, createdAt: hoursFromNow(-1), editableUntil: hoursFromNow(23) }} />);
    expect(screen.getByText(/^editable until \S/)).toBeTruthy();
    expect(screen.queryByText('locked')).toBeNull();
  });

  it('says "locked" once the window has closed', () => {
    renderUi(<EditWindowBadge record={{ createdBy: 1, createdAt: hoursFromNow(-25), editableUntil: hoursFromNow(-1) }} />);
    expect(screen.getByText('locked')).toBeTruthy();
    expect(screen.queryByText(/editable until/)).toBeNull();
  });
});

describe('nurse notes on the chart', () => {
  const author = staff('nurse', { fullName: 'Nurse Ada Obi' });
  const PATIENT = 12;

  function note(overrides: Partial<NurseNote>): NurseNote {
    return {
      id: 1,
      patientId: PATIENT,
      nurseId: author.id,
      nurseName: author.fullName,
      note: 'Comfortable overnight.',
      version: 1,
      createdAt: hoursFromNow(-1),
      updatedAt: hoursFromNow(-1),
      createdBy: author.id,
      updatedBy: author.id,
      editableUntil: hoursFromNow(23),
      ...overrides,
    };
  }

  async function renderNotesAs(user: Staff, notes: NurseNote[]) {
    const network = watchNetwork();
    signIn(user);
    queryClient.setQueryData(trpc.nurseNotes.list.infiniteQueryKey({ patientId: PATIENT, limit: 20 }), {
      pages: [{ items: notes, nextCursor: null }],
      pageParams: [null],
    });
    renderRouted({ page: NurseNotesTab, path: '/patients/$patientId/notes', at: `/patients/${PATIENT}/notes` });
    const list = await screen.findByRole('list', { name: 'Nurse notes' });
    return { network, items: within(list).getAllByRole('listitem') };
  }

  it('offers the author Edit and Delete on her own note within 24 hours', async () => {
    const { items } = await renderNotesAs(author, [note({})]);
    expect(within(items[0]!).getByRole('button', { name: 'Edit' })).toBeTruthy();
    expect(within(items[0]!).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(items[0]!).getByText(/^editable until/)).toBeTruthy();
  });

  it("offers another nurse no Edit or Delete on a colleague's note", async () => {
    const { items } = await renderNotesAs(staff('nurse'), [note({})]);
    expect(within(items[0]!).getByText('Comfortable overnight.')).toBeTruthy();
    expect(within(items[0]!).queryByRole('button')).toBeNull();
  });

  it('offers the author nothing to change on her locked note, and says it is locked', async () => {
    const { items } = await renderNotesAs(author, [note({ createdAt: hoursFromNow(-30), editableUntil: hoursFromNow(-6) })]);
    expect(within(items[0]!).getByText('locked')).toBeTruthy();
    expect(within(items[0]!).queryByRole('button')).toBeNull();
  });

  it('lets a nurse write a new note', async () => {
    await renderNotesAs(staff('nurse'), [note({})]);
    expect(screen.getByRole('textbox', { name: 'New note' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add note' })).toBeTruthy();
  });

  it('shows a doctor the notes but no way to write one', async () => {
    const { items } = await renderNotesAs(staff('doctor'), [note({})]);
    expect(items).toHaveLength(1);
    expect(screen.queryByRole('textbox', { name: 'New note' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add note' })).toBeNull();
  });

  it('shows the notes from the cache without asking the server', async () => {
    const { network } = await renderNotesAs(author, [note({}), note({ id: 2, note: 'Ate well.' })]);
    expect(network).not.toHaveBeenCalled();
  });
});
