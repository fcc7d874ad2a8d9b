/** The drug formulary with stock on hand; drugs at or below their reorder level stand out. */
import { useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { formatDate } from '../format';
import { trpc } from '../trpc';
import { ErrorBox, LoadMore, Loading, Panel, useDebounced } from '../ui';

export function Drugs() {
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const list = useInfiniteQuery(
    trpc.drugs.list.infiniteQueryOptions(
      { q: search || undefined, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const drugs = list.data?.pages.flatMap((p) => p.items) ?? [];
  const low = drugs.filter((d) => d.belowReorderLevel).length;

  return (
    <>
      <h1 className="page-title">Drugs</h1>
      <Panel
        title={
          <input className="search" type="search" placeholder="Search by name" aria-label="Search drugs" value={q} onChange={(e) => setQ(e.target.value)} />
        }
        actions={low > 0 && <span className="badge badge-low">{low} below reorder level</span>}
      >
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorBox problem={list.error.message} />
        ) : (
          <>
            <table className="grid">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Generic name</th>
                  <th>Brand</th>
                  <th>Form</th>
                  <th>Strength</th>
                  <th>Route</th>
                  <th className="num">In stock</th>
                  <th className="num">Reorder level</th>
                  <th>Expires</th>
                </tr>
              </thead>
              <tbody>
                {drugs.map((d) => (
                  <tr key={d.id} className={d.belowReorderLevel ? 'row-low' : undefined}>
                    <td className="strong">{d.name}</td>
                    <td>{d.genericName ?? '—'}</td>
                    <td>{d.brand ?? '—'}</td>
                    <td>{d.formulation}</td>
                    <td>{d.strength}</td>
                    <td>{d.route}</td>
                    <td className="num">
                      {d.belowReorderLevel && <span className="badge badge-low">reorder</span>} {d.stockOnHand.toLocaleString()}
                    </td>
                    <td className="num">{d.reorderLevel.toLocaleString()}</td>
                    <td>{formatDate(d.expiryDate)}</td>
                  </tr>
                ))}
                {drugs.length === 0 && (
                  <tr>
                    <td colSpan={9} className="muted empty">
                      No drugs found.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            <LoadMore query={list} />
          </>
        )}
      </Panel>
    </>
  );
}
