/**
 * The one table: TanStack Table for columns, sorting and column sizing; TanStack Virtual so thousands of rows scroll
 * smoothly; the next page of the API's cursor is fetched as the user scrolls near the end. A real <table>, so screen
 * readers and tests find rows and cells by role.
 */
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Group, Loader, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type SortingState,
  type Table,
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
 * One row of a fixed height (cells do not wrap), placed by the virtualizer's arithmetic and never measured: measuring
 * forced a layout per row as it scrolled into view (issue 13's browser benchmark). Rows are flex rows, not table rows,
 * and each is positioned (DataTable.module.css), so a row coming into view is laid out and painted on its own: as table
 * rows, each row added or taken away made the browser lay out and paint them all again. Drawn again only when its data, its column
 * widths or its handlers change — not on every scroll step. Plain <tr>/<td>: Mantine's Table.Td is a Box whose style
 * props cost more than the cell's content.
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

interface HeaderRowProps<T> {
  table: Table<T>;
  /** What the header shows besides the table (a stable object): it is drawn again when one of these changes. */
  columns: ColumnDef<T, any>[];
  sorting: string;
  widths: string;
  resizing: string | false;
}

/**
 * The header row. Its own component, drawn again only when the columns, the sorting or the column widths change: the
 * table is drawn again at every scroll step that brings a row into view, and eleven Mantine headers were a good part
 * of that.
 */
const HeaderRow = memo(function HeaderRow<T>({ table }: HeaderRowProps<T>) {
  return table.getHeaderGroups().map((group) => (
    <tr key={group.id}>
      {group.headers.map((header) => {
        const sorted = header.column.getIsSorted();
        const canSort = header.column.getCanSort();
        const title = flexRender(header.column.columnDef.header, header.getContext());
        return (
          <th
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
          </th>
        );
      })}
    </tr>
  ));
}) as <T>(props: HeaderRowProps<T>) => React.ReactElement;

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
    overscan: 6,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();

  // Near the end of what is loaded: ask for the next page.
  const last = items[items.length - 1];
  useEffect(() => {
    if (!paged || !last) return;
    if (last.index >= rows.length - 10 && paged.hasNextPage && !paged.isFetchingNextPage) void paged.fetchNextPage();
  }, [last, rows.length, paged]);

  // The rows out of view are stood in for by one empty row above and one below, as tall as they would be.
  const padTop = items.length ? items[0]!.start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const colCount = table.getVisibleLeafColumns().length;
  const clientSortedPartial = !manual && paged?.hasNextPage && localSorting.length > 0 && localSorting !== initialSorting;

  const widths = JSON.stringify(table.getState().columnSizing);
  const sortingKey = JSON.stringify(table.getState().sorting);

  return (
    <Box>
      <div ref={scrollRef} className={classes.scroll} style={{ maxHeight: height }}>
        <table
          aria-label={label}
          className={classes.table}
          data-hover={onRowClick ? true : undefined}
          style={{ minWidth: table.getTotalSize(), '--row-height': `${rowHeight}px` } as React.CSSProperties}
        >
          <thead className={classes.head}>
            <HeaderRow
              table={table}
              columns={columns}
              sorting={sortingKey}
              widths={widths}
              resizing={table.getState().columnSizingInfo.isResizingColumn}
            />
          </thead>
          <tbody className={classes.body}>
            {padTop > 0 && (
              <tr aria-hidden className={classes.spacer} style={{ height: padTop }}>
                <td colSpan={colCount} />
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
              <tr aria-hidden className={classes.spacer} style={{ height: padBottom }}>
                <td colSpan={colCount} />
              </tr>
            )}
            {rows.length === 0 && (
              <tr className={classes.emptyRow}>
                <td colSpan={colCount}>
                  <Text c="dimmed" size="sm" py="xs">
                    {empty ?? 'Nothing here yet.'}
                  </Text>
                </td>
              </tr>
            )}
          </tbody>
        </table>
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
