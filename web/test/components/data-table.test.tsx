// @vitest-environment jsdom
/** The one table's footer: how many rows are loaded, of how many when the server knows it cheaply. */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataTable, type PagedSource } from '../../src/components/DataTable';
import { renderUi } from './render';

const rows = Array.from({ length: 3 }, (_, i) => ({ id: i + 1, name: `Row ${i + 1}` }));
const columns = [{ id: 'name', header: 'Name', accessorKey: 'name' }];
const paged = (over: Partial<PagedSource>): PagedSource => ({
  hasNextPage: true,
  isFetchingNextPage: false,
  fetchNextPage: () => {},
  ...over,
});

describe('the table footer', () => {
  it('says how many are shown of the whole list when the server gave its total', () => {
    renderUi(<DataTable label="Patients" data={rows} columns={columns} paged={paged({ total: 1_000_000 })} />);
    expect(screen.getByText(`3 of ${(1_000_000).toLocaleString()} shown · more load as you scroll`)).toBeTruthy();
  });

  it('says only how many are shown when the total is unknown, and no "of" once everything is loaded', () => {
    const { unmount } = renderUi(<DataTable label="Patients" data={rows} columns={columns} paged={paged({})} />);
    expect(screen.getByText('3 shown · more load as you scroll')).toBeTruthy();
    unmount();
    renderUi(<DataTable label="Patients" data={rows} columns={columns} paged={paged({ hasNextPage: false, total: 3 })} />);
    expect(screen.getByText('3 shown')).toBeTruthy();
  });
});
