/**
 * The one table: TanStack Table for columns, sorting and column sizing; TanStack Virtual so thousands of rows scroll
 * smoothly; the next page of the API's cursor is fetched as the user scrolls near the end. A real <table>, so screen
 * readers and tests find rows and cells by role.
 */
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Group, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import classes from './DataTable.module.css';

export interface PagedSource {
  /** How many rows the whole list has, when the server knows it cheaply (its first page's `total`). */
  total?: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** What a page may add to a row: a class, a state for tests and styles, and `aria-current` for the one open. */
export interface RowExtras {
  className?: string;
  'data-state'?: string;
  'aria-current'?: 'true' | 'page';
}

interface Props<T> {
  data: T[];
  columns: ColumnDef<T, any>[];
  /** Accessible name of the table. */
  label: string;
  /** Scroll height; the header stays on top. */
  height?: number | string;
  rowHeight?: number;
  empty?: ReactNode;
  paged?: PagedSource;
  onRowClick?: (row: T) => void;
  rowProps?: (row: T) => RowExtras;
  getRowId?: (row: T) => string;
  /** Server-side sorting: the page asks the API for the order; otherwise the loaded rows are sorted here. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  initialSorting?: SortingState;
}

interface BodyRowProps<T> {
  row: Row<T>;
  index: number;
  onRowClick?: (row: T) => void;
  rowProps?: (row: T) => RowExtras;
  /** Changes when a column is resized, so the row draws its cells at the new widths. */
  widths: string;
}

/**
 * One row of a fixed height (cells do not wrap: DataTable.module.css), so the virtualizer places rows by arithmetic
 * and never measures one (measuring forced a layout per row as it scrolled into view: issue 13's long tasks).
 * Drawn again only when its data, its column widths or its handlers change — not on every scroll step
 * (issue 13's browser benchmark: scrolling redrew every row in view, 60–95 ms a frame). Plain <tr>/<td>, styled by
 * DataTable.module.css: Mantine's Table.Td is a Box whose style props cost more than the cell's content.
 */
const BodyRow = memo(function BodyRow<T>({ row, index, onRowClick, rowProps }: BodyRowProps<T>) {
  const extra = rowProps?.(row.original) ?? {};
  return (
    <tr
      data-index={index}
      className={[onRowClick ? classes.clickable : undefined, extra.className].filter(Boolean).join(' ') || undefined}
      data-state={extra['data-state']}
      aria-current={extra['aria-current']}
      onClick={onRowClick ? () => onRowClick(row.original) : undefined}
      onKeyDown={onRowClick ? (e) => e.key === 'Enter' && onRowClick(row.original) : undefined}
      tabIndex={onRowClick ? 0 : undefined}
    >
      {row.getVisibleCells().map((cell) => (
        <td key={cell.id} style={{ width: cell.column.getSize() }}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
    </tr>
  );
}) as <T>(props: BodyRowProps<T>) => React.ReactElement;

export function DataTable<T>({
  data,
  columns,
  label,
  height = 480,
  rowHeight = 30,
  empty,
  paged,
  onRowClick,
  rowProps,
  getRowId,
  sorting,
  onSortingChange,
  initialSorting = [],
}: Props<T>) {
  const [localSorting, setLocalSorting] = useState<SortingState>(initialSorting);
  const manual = sorting !== undefined;
  const table = useReactTable({
    data,
    columns,
    state: { sorting: manual ? sorting : localSorting },
    onSortingChange: manual ? onSortingChange : setLocalSorting,
    manualSorting: manual,
    enableSortingRemoval: false,
    // A header's first click sorts ascending for every column (TanStack would start numbers descending).
    sortDescFirst: false,
    columnResizeMode: 'onChange',
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: manual ? undefined : getSortedRowModel(),
    getRowId: getRowId ? (row) => getRowId(row) : undefined,
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();

  // Near the end of what is loaded: ask for the next page.
  const last = items[items.length - 1];
  useEffect(() => {
    if (!paged || !last) return;
    if (last.index >= rows.length - 10 && paged.hasNextPage && !paged.isFetchingNextPage) void paged.fetchNextPage();
  }, [last, rows.length, paged]);

  const padTop = items.length ? items[0]!.start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const colCount = table.getVisibleLeafColumns().length;
  const clientSortedPartial = !manual && paged?.hasNextPage && localSorting.length > 0 && localSorting !== initialSorting;

  const widths = JSON.stringify(table.getState().columnSizing);

  return (
    <Box>
      <div ref={scrollRef} className={classes.scroll} style={{ maxHeight: height }}>
        <Table
          aria-label={label}
          className={classes.table}
          style={{ minWidth: table.getTotalSize(), '--row-height': `${rowHeight}px` } as React.CSSProperties}
          highlightOnHover={!!onRowClick}
        >
          <Table.Thead className={classes.head}>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const title = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <Table.Th
                      key={header.id}
                      style={{ width: header.getSize() }}
                      className={classes.th}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    >
                      {canSort ? (
                        <UnstyledButton className={classes.sort} onClick={header.column.getToggleSortingHandler()}>
                          {title}
                          {/* The order a sorted column is in; on the others, a hint shown on pointing or focus only: an arrow on every
                              header took the width a narrow column's name needs. */}
                          <span aria-hidden className={sorted ? undefined : classes.sortHint}>
                            {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}
                          </span>
                        </UnstyledButton>
                      ) : (
                        title
                      )}
                      {header.column.getCanResize() && (
                        <div
                          onMouseDown={header.getResizeHandler()}
                          onTouchStart={header.getResizeHandler()}
                          onDoubleClick={() => header.column.resetSize()}
                          className={classes.resizer}
                          data-resizing={header.column.getIsResizing() || undefined}
                          aria-hidden
                        />
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {padTop > 0 && (
              <tr aria-hidden>
                <td colSpan={colCount} style={{ height: padTop, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((item) => (
              <BodyRow
                key={rows[item.index]!.id}
                row={rows[item.index]!}
                index={item.index}
                onRowClick={onRowClick}
                rowProps={rowProps}
                widths={widths}
              />
            ))}
            {padBottom > 0 && (
              <tr aria-hidden>
                <td colSpan={colCount} style={{ height: padBottom, padding: 0, border: 0 }} />
              </tr>
            )}
            {rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={colCount}>
                  <Text c="dimmed" size="sm" py="xs">
                    {empty ?? 'Nothing here yet.'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </div>
      <Group gap="xs" justify="space-between" mt={4} mih={20}>
        <Text size="xs" c="dimmed">
          {rows.length > 0 &&
            `${rows.length.toLocaleString()}${paged?.total !== undefined && paged.hasNextPage ? ` of ${paged.total.toLocaleString()}` : ''} shown${paged?.hasNextPage ? ' · more load as you scroll' : ''}`}
          {clientSortedPartial && ' · sorted among the rows loaded so far'}
        </Text>
        {paged?.isFetchingNextPage && <Loader size="xs" aria-label="Loading more" />}
      </Group>
    </Box>
  );
}
