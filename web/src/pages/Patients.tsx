/** Find a patient by name prefix, MRN or phone; record officers register new ones from here. */
import { useEffect, useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { can, type Staff } from '@hmis/shared';
import { age, formatDate, fullName } from '../format';
import { trpc } from '../trpc';
import { ErrorBox, LoadMore, Loading, Panel, useDebounced } from '../ui';

export function Patients({ user, initialQuery }: { user: Staff; initialQuery: string }) {
  const [q, setQ] = useState(initialQuery);
  const search = useDebounced(q.trim());
  // Keep the search in the address so "Back" from a chart returns to the same results.
  useEffect(() => {
    window.history.replaceState(null, '', `#/patients${search ? `?q=${encodeURIComponent(search)}` : ''}`);
  }, [search]);

  const list = useInfiniteQuery(
    trpc.patients.list.infiniteQueryOptions(
      { q: search || undefined, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const patients = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <h1 className="page-title">Patients</h1>
      <Panel
        title={
          <input
            className="search"
            type="search"
            placeholder="Search by name, MRN or phone"
            aria-label="Search patients"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoFocus
          />
        }
        actions={
          can(user.role, 'patient:write') && (
            <a className="button primary" href="#/patients/new">
              Register patient
            </a>
          )
        }
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
                  <th>MRN</th>
                  <th>Name</th>
                  <th>Sex</th>
                  <th>Date of birth</th>
                  <th>Phone</th>
                  <th>Allergies</th>
                </tr>
              </thead>
              <tbody>
                {patients.map((p) => (
                  <tr key={p.id} className="clickable" onClick={() => (window.location.hash = `/patients/${p.id}`)}>
                    <td className="mono">{p.mrn}</td>
                    <td>
                      <a href={`#/patients/${p.id}`}>{fullName(p)}</a>
                    </td>
                    <td>{p.gender}</td>
                    <td>
                      {formatDate(p.dob)} <span className="muted">{age(p.dob)}</span>
                    </td>
                    <td className="mono">{p.phoneNumber ?? '—'}</td>
                    <td>{p.allergies.length ? <span className="allergy-chip">{p.allergies.join(', ')}</span> : <span className="muted">none known</span>}</td>
                  </tr>
                ))}
                {patients.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted empty">
                      {search ? `No patient matches “${search}”.` : 'No patients yet.'}
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
