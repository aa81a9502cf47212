// History: the latest entries of every kind, newest first; edit (PATCH) and delete (DELETE, confirmed).
// Changes go through the offline queue too, so they work without a connection.

import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Collection } from '../api/types';
import type { Entry } from '../data/entries';
import { useEntries } from '../data/hooks';
import { resultText } from '../data/log';
import { toast } from '../state';
import { strings } from '../strings';
import { discardQueued, resubmit, submit, type ItemResult } from '../sync/runtime';
import { Button, FormError } from '../ui/form';
import { Confirm, Page, formatTime } from '../ui/widgets';
import { describe } from './describe';
import {
  CheckinFields,
  CrampFields,
  SimpleFields,
  checkinFromData,
  checkinToBody,
  crampFromData,
  crampToBody,
  simpleFromData,
  simpleToBody,
  type CheckinForm,
  type CrampForm,
  type SimpleForm,
} from './entryForms';
import { ItemProblem, stateBadge } from './QueueList';

const H = strings.history;

export function History() {
  const { entries, stale } = useEntries();
  return (
    <Page title={strings.titles.history} intro={H.intro}>
      {stale && <p class="note">{H.offlineNote}</p>}
      {entries === null ? (
        <p>{strings.loading}</p>
      ) : entries.length === 0 ? (
        <p>{H.empty}</p>
      ) : (
        <ul class="entry-list" data-testid="history-list">
          {entries.map((e) => (
            <HistoryRow entry={e} key={e.id} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function HistoryRow({ entry }: { entry: Entry }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const kind = H.kinds[entry.collection];
  const neverSent = entry.queueMethod === 'POST' && entry.state !== 'pending';

  const remove = async () => {
    if (neverSent && entry.queueKey) {
      await discardQueued(entry.queueKey);
      toast(strings.saved.discarded);
      return;
    }
    const out = await submit({ collection: entry.collection, method: 'DELETE', recordId: entry.id }, 3000);
    toast(resultText(strings.saved.deleted, out.result));
  };

  if (editing) return <Editor entry={entry} onDone={() => setEditing(false)} />;
  return (
    <li class={`entry state-${entry.state}`} data-testid="history-item" data-kind={entry.collection} data-state={entry.state}>
      <p class="entry-head">
        <strong>{kind}</strong>
        {entry.state !== 'synced' && <span class={`badge badge-${entry.state}`}> {stateBadge(entry.state)}</span>}
      </p>
      <p class="entry-time">{formatTime(entry.at)}</p>
      <p>{describe(entry.collection, entry.data)}</p>
      {entry.state !== 'synced' && entry.state !== 'pending' && <ItemProblem item={{ status: entry.state, error: entry.error }} />}
      {!confirming && (
        <div class="row">
          <Button onClick={() => setEditing(true)} ariaLabel={`${strings.edit}: ${kind}, ${formatTime(entry.at)}`}>
            {strings.edit}
          </Button>
          <Button kind="danger" onClick={() => setConfirming(true)} ariaLabel={`${strings.delete}: ${kind}, ${formatTime(entry.at)}`}>
            {strings.delete}
          </Button>
        </div>
      )}
      {confirming && (
        <Confirm
          question={neverSent ? strings.sync.confirmDiscard : H.confirmDelete}
          yes={neverSent ? strings.sync.yesDiscard : H.yesDelete}
          no={strings.sync.keep}
          danger
          onYes={remove}
          onNo={() => setConfirming(false)}
        />
      )}
    </li>
  );
}

type AnyForm = CrampForm | CheckinForm | SimpleForm;

function formOf(collection: Collection, data: Record<string, unknown>): AnyForm {
  if (collection === 'cramps') return crampFromData(data);
  if (collection === 'checkins') return checkinFromData(data);
  return simpleFromData(collection, data);
}

function bodyOf(collection: Collection, form: AnyForm): Record<string, unknown> {
  // An edit sends unanswered fields as null, so clearing an answer clears it on the server too.
  if (collection === 'cramps') return crampToBody(form as CrampForm, 'edit');
  if (collection === 'checkins') return checkinToBody(form as CheckinForm, 'edit');
  return simpleToBody(collection, form as SimpleForm);
}

function Editor({ entry, onDone }: { entry: Entry; onDone: () => void }) {
  const [form, setForm] = useState<AnyForm>(() => formOf(entry.collection, entry.data));
  const [error, setError] = useState<ApiError | null>(
    entry.error ? new ApiError('validation', entry.error.status, entry.error.fields, entry.error.detail) : null,
  );
  const [busy, setBusy] = useState(false);
  const kind = H.kinds[entry.collection];

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const body = bodyOf(entry.collection, form);
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
      <form onSubmit={save} noValidate aria-label={H.editTitle(kind)}>
        <h2>{H.editTitle(kind)}</h2>
        <FormError error={error} shownFields={Object.keys(bodyOf(entry.collection, form))} />
        {entry.collection === 'cramps' && (
          <CrampFields value={form as CrampForm} onChange={(u) => setForm((f) => u(f as CrampForm))} errors={errors} openDetails />
        )}
        {entry.collection === 'checkins' && <CheckinFields value={form as CheckinForm} onChange={(u) => setForm((f) => u(f as CheckinForm))} errors={errors} showTime />}
        {entry.collection !== 'cramps' && entry.collection !== 'checkins' && (
          <SimpleFields collection={entry.collection} value={form as SimpleForm} onChange={(u) => setForm((f) => u(f as SimpleForm))} errors={errors} />
        )}
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
