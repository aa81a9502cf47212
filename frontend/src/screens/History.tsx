// History: the whole diary, newest first, in the patient's days; older entries a page at a time ("Show
// older", kind by kind so no kind's old entries come before another's newer ones); filter by kind; edit
// (PATCH) and delete with a few seconds to undo. Changes go through the offline queue, so they work
// without a connection; what the phone has is shown offline.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { COLLECTIONS, DATED_BY_DAY, type Collection } from '../api/types';
import { loadEntries, loadOlder, readExtents, refreshRecords, type Entry, type Extents } from '../data/entries';
import { useTags } from '../data/factors';
import { useEntries, useNow, useTimeZone } from '../data/hooks';
import { resultText } from '../data/log';
import { UNDO_MS, deleteAfterUndoTime, deletesWaiting, undoDelete } from '../data/undoDelete';
import { describe, kindOf } from '../kinds';
import { completeDownTo, groupByDay, kindsToFetch, relativeDay, shownEntries, type KindPages } from '../logic/history';
import { deviceTimeZone, formatLocalDate, localParts, recordTime, recordZoneOr } from '../logic/time';
import { app, bumpRecords, dismissToast, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { resubmit, submit, type ItemResult } from '../sync/runtime';
import { Button, FormError, Select } from '../ui/form';
import { Page } from '../ui/widgets';
import { ItemProblem, stateBadge } from './QueueList';
import { locale } from '../locale';

const H = strings.history;
type Filter = 'all' | Collection;
/** "Show older" fetches until at least this many more entries are shown (or the diary's start). */
const SHOW_MORE = 20;
// History's first look in this page's life starts from the server's latest pages, not older cached ones.
let freshThisSession = false;

function pagesOf(kinds: Collection[], extents: Extents, entries: Entry[]): KindPages[] {
  return kinds.map((c) => {
    const known = extents[c];
    if (known) return { collection: c, oldest: known.downTo, more: known.more };
    // Never fetched (offline from the start): what the phone has, and maybe more on the server.
    const mine = entries.filter((e) => e.collection === c && e.state === 'synced');
    return { collection: c, oldest: mine.length ? mine[mine.length - 1].at : '', more: true };
  });
}

export function History() {
  const s = useStore(app);
  const { entries, extents, reload } = useEntries({ fetch: false });
  const { ids: waitingIds } = useStore(deletesWaiting);
  const zone = useTimeZone();
  const now = useNow(60_000);
  const [filter, setFilter] = useState<Filter>('all');
  const [stale, setStale] = useState(false);
  const [loading, setLoading] = useState(false);
  const [olderNote, setOlderNote] = useState<string | null>(null);
  // The tags' names, for the factor entries' lines (an entry carries only its tag's id).
  useTags();

  // Read from the server on arrival, and again while it shows "Offline" once the phone is back online
  // (the online event) or the diary answered another request: the note must not outlive the outage. The
  // network is often not usable yet when the online event fires, so a failure while online tries again
  // after 1, 2, 4 … (at most 30) seconds. `stale` is a dependency too: a read begun offline can fail only
  // after the online event has come and gone, and must still be tried again.
  const tried = useRef(false);
  const [retry, setRetry] = useState({ n: 0 });
  useEffect(() => {
    if (!s.user) return;
    if (tried.current && (!stale || !s.online)) return;
    tried.current = true;
    const fresh = !freshThisSession;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    void refreshRecords(COLLECTIONS, fresh || stale, fresh).then((ok) => {
      if (ok) freshThisSession = true;
      setStale(!ok);
      if (ok) bumpRecords();
      else if (live && app.get().online) timer = setTimeout(() => setRetry((r) => ({ n: r.n + 1 })), Math.min(30_000, 1000 * 2 ** retry.n));
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [s.user?.id, s.online, s.reachedAt, retry, stale]);
  useEffect(() => {
    if (!stale) setRetry((r) => (r.n === 0 ? r : { n: 0 }));
  }, [stale]);

  const kinds = filter === 'all' ? COLLECTIONS : [filter];
  const mine = useMemo(
    () => (entries ?? []).filter((e) => kinds.includes(e.collection) && !waitingIds.includes(e.id)),
    [entries, filter, waitingIds],
  );
  const pages = pagesOf(kinds, extents, mine);
  const cut = completeDownTo(pages);
  // Unsent or failed entries always show: they are the ones that need the patient.
  const shown = shownEntries(mine, cut).concat(cut === null ? [] : mine.filter((e) => e.state !== 'synced' && e.at < cut));
  const groups = groupByDay(shown, zone, (e) => recordZoneOr(e.data.timezone, zone));

  const showOlder = async () => {
    setOlderNote(null);
    if (!s.online) {
      setOlderNote(H.olderNeedsConnection);
      return;
    }
    setLoading(true);
    try {
      let latest = await readExtents();
      let all = (entries ?? []).filter((e) => kinds.includes(e.collection));
      const target = shown.length + SHOW_MORE;
      for (let round = 0; round < 10; round += 1) {
        const fetch = kindsToFetch(pagesOf(kinds, latest, all));
        if (fetch.length === 0) break;
        await loadOlder(fetch);
        latest = await readExtents();
        all = (await loadEntries(s.queue)).filter((e) => kinds.includes(e.collection));
        if (shownEntries(all, completeDownTo(pagesOf(kinds, latest, all))).length >= target) break;
      }
      // The new entries and extents on screen before the button is free again.
      await reload();
      bumpRecords();
    } catch {
      setOlderNote(H.olderFailed);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Page title={strings.titles.history} intro={H.intro}>
      {stale && <p class="note">{H.offlineNote}</p>}
      {/* One compact control: six toggle buttons filled the first screen at 200% text. */}
      <div class="filter-bar">
        <Select<Filter>
          label={H.filterLabel}
          name="kind"
          value={filter}
          options={(['all', ...COLLECTIONS] as Filter[]).map((f) => ({ value: f, label: f === 'all' ? H.filterAll : kindOf(f).filterName }))}
          onValue={setFilter}
          testid="history-filter"
        />
      </div>
      {entries === null ? (
        <p>{strings.loading}</p>
      ) : shown.length === 0 && cut === null ? (
        <p>{filter === 'all' ? H.empty : H.emptyKind}</p>
      ) : (
        <div data-testid="history-list">
          {groups.map((g) => (
            <section class="day-group" key={g.date} aria-labelledby={`day-${g.date}`} data-testid="history-day" data-date={g.date}>
              <h2 id={`day-${g.date}`} class="day-head">
                {dayHeading(g.date, now, zone)}
              </h2>
              <ul class="entry-list">
                {g.entries.map((e) => (
                  <HistoryRow entry={e} key={e.id} zone={zone} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      {entries !== null && cut !== null && (
        <p class="row">
          <Button onClick={() => void showOlder()} busy={loading} testid="history-older">
            {H.showOlder}
          </Button>
        </p>
      )}
      {entries !== null && cut === null && shown.length > 0 && (
        <p class="hint" data-testid="history-start">
          {H.diaryStart}
        </p>
      )}
      {olderNote && (
        <p class="note" role="status">
          {olderNote}
        </p>
      )}
    </Page>
  );
}

function dayHeading(date: string, now: Date, zone: string): string {
  const rel = relativeDay(date, now, zone);
  if (rel) return H.day[rel];
  // The local date itself, named at its noon in UTC so no zone shifts it to a neighbouring day.
  const thisYear = date.slice(0, 4) === localParts(now, zone).date.slice(0, 4);
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(locale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: thisYear ? undefined : 'numeric',
    timeZone: 'UTC',
  });
}

function HistoryRow({ entry, zone }: { entry: Entry; zone: string }) {
  const [editing, setEditing] = useState(false);
  const kind = kindOf(entry.collection).name;
  const neverSent = entry.queueMethod === 'POST' && entry.state !== 'pending';
  // A kind dated by a day has no clock time: its row names the day (its group's heading is that day too).
  // Another kind's on the clock of the zone it was logged in, labelled when that is not the profile's now.
  const { text: time, otherZone } = DATED_BY_DAY.includes(entry.collection)
    ? { text: formatLocalDate(entry.at), otherZone: false }
    : recordTime(entry.at, entry.data.timezone, zone, deviceTimeZone(), { date: false });
  const flags = kindOf(entry.collection).redFlags?.(entry.data) ?? [];
  const notes = typeof entry.data.notes === 'string' ? entry.data.notes.trim() : '';

  const remove = () => {
    const id = entry.id;
    deleteAfterUndoTime({
      id,
      collection: entry.collection,
      owner: app.get().user?.id ?? '',
      queueKey: neverSent ? entry.queueKey : undefined,
    });
    toast(H.deleted(kind, time), UNDO_MS, {
      label: H.undo,
      run: () => {
        dismissToast();
        if (undoDelete(id)) toast(H.restored(kind));
      },
      applies: () => deletesWaiting.get().ids.includes(id),
    });
  };

  if (editing) return <Editor entry={entry} onDone={() => setEditing(false)} />;
  return (
    <li class={`entry state-${entry.state}`} data-testid="history-item" data-kind={entry.collection} data-state={entry.state} data-id={entry.id}>
      <p class="entry-head">
        <strong>{kind}</strong> <span class="entry-time" data-testid="entry-time" title={otherZone ? strings.zones.loggedInHint : undefined}>
          {time}
        </span>
        {entry.state !== 'synced' && <span class={`badge badge-${entry.state}`}> {stateBadge(entry.state)}</span>}
      </p>
      {flags.length > 0 && (
        <ul class="red-flags" data-testid="history-flags">
          {flags.map((f) => (
            <li key={f.flag} class={f.urgent ? 'flag-urgent' : 'flag'}>
              {f.urgent && <strong>{H.urgentFlag} </strong>}
              {H.flags[f.flag]}
            </li>
          ))}
        </ul>
      )}
      <p>{describe(entry.collection, entry.data)}</p>
      {notes && (
        <p class="entry-notes" data-testid="history-notes">
          <span class="visually-hidden">{H.notesLabel}: </span>
          {notes}
        </p>
      )}
      {entry.state !== 'synced' && entry.state !== 'pending' && <ItemProblem item={{ status: entry.state, error: entry.error }} />}
      <div class="row entry-actions">
        <Button onClick={() => setEditing(true)} ariaLabel={`${strings.edit}: ${kind}, ${time}`}>
          {strings.edit}
        </Button>
        <Button kind="link" class="delete-link" onClick={remove} ariaLabel={`${strings.delete}: ${kind}, ${time}`} testid="history-delete">
          {strings.delete}
        </Button>
      </div>
    </li>
  );
}

function Editor({ entry, onDone }: { entry: Entry; onDone: () => void }) {
  const kind = kindOf(entry.collection);
  // The form of this entry's kind, which only this kind's fields and body read.
  const [form, setForm] = useState<unknown>(() => kind.fromData(entry.data));
  const [error, setError] = useState<ApiError | null>(
    entry.error ? new ApiError('validation', entry.error.status, entry.error.fields, entry.error.detail) : null,
  );
  const [busy, setBusy] = useState(false);
  // An edit sends unanswered fields as null, so clearing an answer clears it on the server too.
  const bodyOf = () => kind.toBody(form, 'edit');

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const body = bodyOf();
    let result: ItemResult;
    if (entry.queueKey && entry.queueMethod !== 'DELETE' && entry.state !== 'conflict') {
      result = await resubmit(entry.queueKey, body, 3000);
    } else {
      result = (await submit({ collection: entry.collection, method: 'PATCH', recordId: entry.id, body }, 3000)).result;
    }
    setBusy(false);
    if (result.kind === 'failed') {
      const e = result.item.error;
      setError(new ApiError('validation', e?.status ?? 400, e?.fields ?? {}, e?.detail));
      return;
    }
    toast(resultText(strings.saved.entry, result));
    onDone();
  };

  const errors = error?.fields ?? {};
  return (
    <li class="entry editing" data-testid="history-editor">
      <form onSubmit={save} noValidate aria-label={H.editTitle(kind.name)}>
        <h2>{H.editTitle(kind.name)}</h2>
        <FormError error={error} shownFields={Object.keys(bodyOf())} />
        <kind.EditFields value={form} onChange={(update) => setForm(update)} errors={errors} />
        <div class="row">
          <Button type="submit" kind="primary" busy={busy}>
            {strings.saveChanges}
          </Button>
          <Button onClick={onDone}>{strings.cancel}</Button>
        </div>
      </form>
    </li>
  );
}
