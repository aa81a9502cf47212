// A patient's entries, read-only: one kind at a time, between two of the patient's dates (since/until),
// newest first, in pages; every time on the patient's clock, the zone named in the column heading.

import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api/client';
import { COLLECTIONS, type Collection, type Paginated } from '../../api/types';
import { ENTRIES_PAGE_SIZE, entriesUrl, pageCount } from '../../logic/clinician';
import { setTagNames } from '../../data/tagNames';
import { kindOf } from '../../kinds';
import { columnHead } from '../../logic/entryColumns';
import { strings } from '../../strings';
import { Button, Select, TextField } from '../../ui/form';
import { useApi } from './useApi';

const C = strings.clinician;

/** `zone`: the patient's, once known: the times are on their clock, and the dates picked are their days. */
export function Entries({ id, zone }: { id: string; zone?: string }) {
  const [kind, setKind] = useState<Collection>('cramps');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [page, setPage] = useState(1);
  const valid = (d: string) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d);
  const url = zone && valid(since) && valid(until) ? entriesUrl(id, kind, { since, until, page, timeZone: zone }) : null;
  const list = useApi<Paginated<Record<string, unknown>>>(url);
  // The patient's tags, for the factor entries' names (an entry carries only its tag's id).
  const tags = useApi<Array<{ id: string; name: string }>>(kind === 'factor-entries' ? `/api/v1/clinician/patients/${id}/factors/` : null);
  useEffect(() => {
    if (tags.data) setTagNames(tags.data);
  }, [tags.data]);
  const columns = kindOf(kind).columns;
  const kindLabel = kindOf(kind).tableName;
  const pages = list.data ? pageCount(list.data.count, ENTRIES_PAGE_SIZE) : 1;
  const change = (f: () => void) => {
    f();
    setPage(1);
  };

  return (
    <section class="entries" aria-labelledby="entries-title">
      <h2 id="entries-title">{C.entries}</h2>
      <p class="hint">{C.entriesIntro}</p>
      <form class="entries-filters" onSubmit={(e) => e.preventDefault()} aria-label={C.entries}>
        <Select
          label={C.kind}
          name="kind"
          value={kind}
          options={COLLECTIONS.map((k) => ({ value: k, label: kindOf(k).tableName }))}
          onValue={(k) => change(() => setKind(k))}
          testid="entries-kind"
        />
        <TextField label={C.since} name="since" type="date" value={since} max={until || undefined} onValue={(v) => change(() => setSince(v))} testid="entries-since" />
        <TextField label={C.until} name="until" type="date" value={until} min={since || undefined} onValue={(v) => change(() => setUntil(v))} testid="entries-until" />
        <Button
          disabled={!since && !until}
          onClick={() =>
            change(() => {
              setSince('');
              setUntil('');
            })
          }
        >
          {C.clearDates}
        </Button>
      </form>
      {!list.data && list.error ? (
        <div class="form-error" role="alert">
          <p>{C.entriesFailed}</p>
          <p>{errorMessage(list.error)}</p>
          <Button onClick={list.reload}>{strings.retry}</Button>
        </div>
      ) : !list.data ? (
        <p>{strings.loading}</p>
      ) : (
        <>
          <p class="visually-hidden" role="status">
            {list.loading ? strings.loading : C.entriesCaption(kindLabel, list.data.count)}
          </p>
          <div class="table-wrap" role="region" aria-labelledby="entries-caption" tabIndex={0}>
            <table class="data-table entries-table" data-testid="entries-table" data-kind={kind} aria-busy={list.loading ? true : undefined}>
              <caption id="entries-caption">{C.entriesCaption(kindLabel, list.data.count)}</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" key={c.key}>
                      {columnHead(c, zone)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.data.results.length === 0 ? (
                  <tr>
                    <td colSpan={columns.length}>{C.noEntries}</td>
                  </tr>
                ) : (
                  list.data.results.map((r, i) => (
                    <tr key={String(r.id ?? i)} data-testid="entry-row">
                      {columns.map((c, j) =>
                        j === 0 ? (
                          <th scope="row" key={c.key}>
                            {c.cell(r, undefined, zone)}
                          </th>
                        ) : (
                          <td key={c.key}>{c.cell(r, undefined, zone)}</td>
                        ),
                      )}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav class="pagination" aria-label={`${C.entries}: ${C.pagination}`} data-testid="entries-pagination">
              {page > 1 ? <Button onClick={() => setPage(page - 1)}>{`‹ ${C.previous}`}</Button> : <span />}
              <span>{C.page(page, pages)}</span>
              {page < pages ? <Button onClick={() => setPage(page + 1)}>{`${C.next} ›`}</Button> : <span />}
            </nav>
          )}
        </>
      )}
    </section>
  );
}
