// Entries that have not reached the diary yet: waiting (pending), refused (failed, with the reasons) or
// in conflict (kept aside). Failed ones can be edited in History or discarded; conflicts sent as new.

import { useState } from 'preact/hooks';
import { describe, kindOf } from '../kinds';
import { app } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { discardQueued, resendAsNew, syncNow } from '../sync/runtime';
import type { QueueItem } from '../sync/queue';
import { Button } from '../ui/form';
import { A, Confirm } from '../ui/widgets';
import { DATED_BY_DAY, TIME_FIELD } from '../api/types';
import { formatLocalDate, formatTime } from '../logic/time';

export function stateBadge(status: QueueItem['status'] | 'pending'): string {
  return status === 'failed' ? strings.sync.failedBadge : status === 'conflict' ? strings.sync.conflictBadge : strings.sync.pendingBadge;
}

export function ItemProblem({ item }: { item: Pick<QueueItem, 'status' | 'error'> }) {
  if (item.status === 'pending') return null;
  const fields = Object.entries(item.error?.fields ?? {});
  return (
    <div class="item-problem">
      <p>{item.status === 'conflict' ? strings.sync.conflictExplain : strings.sync.failedExplain}</p>
      {item.error?.detail && <p>{item.error.detail}</p>}
      {fields.length > 0 && (
        <ul>
          {fields.map(([name, messages]) => (
            <li key={name}>{messages.join(' ')}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function QueueList() {
  const { queue, online } = useStore(app);
  if (!queue.length) return null;
  return (
    <section class="queue" aria-labelledby="queue-title">
      <h2 id="queue-title">{strings.sync.pendingLabel}</h2>
      <ul class="entry-list" data-testid="pending-list">
        {queue.map((item) => (
          <QueueRow item={item} key={item.key} />
        ))}
      </ul>
      {online && queue.some((i) => i.status === 'pending') && (
        <Button onClick={() => void syncNow(true)}>{strings.sync.sendNow}</Button>
      )}
    </section>
  );
}

function QueueRow({ item }: { item: QueueItem }) {
  const [confirming, setConfirming] = useState(false);
  const segment = item.collection;
  // A factor tag is not a diary entry: it has a name and no time.
  const at = segment === 'factors' ? '' : String(item.body[TIME_FIELD[segment]] ?? '');
  const name = segment === 'factors' ? strings.factors.tagKind : kindOf(segment).name;
  const when = segment !== 'factors' && DATED_BY_DAY.includes(segment) ? formatLocalDate(at) : at ? formatTime(at) : '';
  const line = segment === 'factors' ? String(item.body.name ?? '') : describe(segment, item.body);
  return (
    <li class={`entry state-${item.status}`} data-testid="pending-item" data-status={item.status}>
      <p class="entry-head">
        <strong>{name}</strong> <span class={`badge badge-${item.status}`}>{stateBadge(item.status)}</span>
      </p>
      <p class="entry-time">{when}</p>
      {item.method !== 'DELETE' && Object.keys(item.body).length > 1 && item.method === 'POST' && <p>{line}</p>}
      <ItemProblem item={item} />
      {item.status !== 'pending' && (
        <div class="row">
          {item.status === 'failed' && <A href="/history" class="btn btn-secondary">{strings.edit}</A>}
          {item.status === 'conflict' && item.method === 'POST' && <Button onClick={() => void resendAsNew(item.key)}>{strings.sync.sendAsNew}</Button>}
          {!confirming && (
            <Button kind="danger" onClick={() => setConfirming(true)}>
              {strings.sync.discard}
            </Button>
          )}
        </div>
      )}
      {confirming && (
        <Confirm question={strings.sync.confirmDiscard} yes={strings.sync.yesDiscard} no={strings.sync.keep} danger onYes={() => discardQueued(item.key)} onNo={() => setConfirming(false)} />
      )}
    </li>
  );
}
