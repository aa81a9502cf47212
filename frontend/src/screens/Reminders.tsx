// Reminders: list, create, edit, switch on/off, done/snooze; notifications on this phone (with the
// iOS "Add to Home Screen" step first); recent deliveries.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, listFirst } from '../api/client';
import type { Channel, Delivery, Reminder, ReminderKind } from '../api/types';
import { disablePush, permission } from '../push/subscribe';
import { usePushOnThisDevice } from '../push/usePushOnThisDevice';
import { deviceTimeZone, ownClockTime } from '../logic/time';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Checkbox, FormError, Select, TextField } from '../ui/form';
import { Confirm, Page } from '../ui/widgets';

const R = strings.reminders;
const KINDS = Object.keys(R.kinds) as ReminderKind[];

function daysText(days: number[]): string {
  if (!days.length || days.length === 7) return R.everyDay;
  return [...days].sort().map((d) => R.weekdayShort[d]).join(', ');
}

export function Reminders() {
  const [reminders, setReminders] = useState<Reminder[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Reminder | 'new' | null>(null);

  const load = async () => {
    try {
      setReminders(await listFirst<Reminder>('/api/v1/reminders/?page_size=100'));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <Page title={strings.titles.reminders} intro={R.intro}>
      <Notifications />
      {error ? <FormError error={error} /> : null}
      {editing && (
        <ReminderForm
          reminder={editing === 'new' ? null : editing}
          onDone={(changed) => {
            setEditing(null);
            if (changed) void load();
          }}
        />
      )}
      {!editing && (
        <Button kind="primary" onClick={() => setEditing('new')} testid="add-reminder">
          {R.add}
        </Button>
      )}
      {reminders && reminders.length === 0 && <p>{R.empty}</p>}
      {reminders && reminders.length > 0 && (
        <ul class="entry-list" data-testid="reminders-list">
          {reminders.map((r) => (
            <ReminderRow key={r.id} reminder={r} onEdit={() => setEditing(r)} onChanged={load} />
          ))}
        </ul>
      )}
      <Deliveries reminders={reminders ?? []} />
    </Page>
  );
}

function ReminderRow({ reminder: r, onEdit, onChanged }: { reminder: Reminder; onEdit: () => void; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = R.kinds[r.kind] ?? r.kind;
  // The reminder keeps the profile's clock: its next time is said on that clock, labelled when the phone's differs.
  const { profile } = useStore(app);
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await fn();
      if (done) toast(done);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li class={`entry${r.enabled ? '' : ' is-off'}`} data-testid="reminder-item">
      <p class="entry-head">
        <strong>{name}</strong> <span class="badge">{r.enabled ? R.on : R.off}</span>
      </p>
      <p>
        {r.local_time.slice(0, 5)} · {daysText(r.weekdays)} · {r.channels.map((c) => R.channelName[c]).join(', ')}
      </p>
      {r.message && <p class="hint">{r.message}</p>}
      <p class="hint">{r.next_fire_at ? R.next(ownClockTime(r.next_fire_at, profile?.timezone, deviceTimeZone(), { weekday: true, year: false })) : R.noNext}</p>
      {error ? <FormError error={error} /> : null}
      <Checkbox
        label={R.enabled}
        name={`enabled-${r.id}`}
        checked={r.enabled}
        onValue={(enabled) => void run(() => api(`/api/v1/reminders/${r.id}/`, { method: 'PATCH', body: { enabled } }))}
      />
      <div class="row wrap">
        <Button onClick={() => void run(() => api(`/api/v1/reminders/${r.id}/done/`, { method: 'POST', body: {} }), R.markedDone)} ariaLabel={`${R.done}: ${name}`}>
          {R.done}
        </Button>
        <span aria-hidden="true">{R.snoozeLabel}</span>
        {[10, 30, 60].map((m) => (
          <Button
            key={m}
            onClick={() => void run(() => api(`/api/v1/reminders/${r.id}/snooze/`, { method: 'POST', body: { minutes: m } }), R.snoozed(m))}
            ariaLabel={`${R.snooze(m)}: ${name}`}
          >
            {R.minutes(m)}
          </Button>
        ))}
      </div>
      {!confirming && (
        <div class="row">
          <Button onClick={onEdit} ariaLabel={`${strings.edit}: ${name}`}>
            {strings.edit}
          </Button>
          <Button kind="danger" onClick={() => setConfirming(true)} ariaLabel={`${strings.delete}: ${name}`}>
            {strings.delete}
          </Button>
        </div>
      )}
      {confirming && (
        <Confirm
          question={R.confirmDelete}
          yes={R.yesDelete}
          no={strings.cancel}
          danger
          onYes={() => run(() => api(`/api/v1/reminders/${r.id}/`, { method: 'DELETE' }), strings.saved.reminderDeleted)}
          onNo={() => setConfirming(false)}
        />
      )}
    </li>
  );
}

function ReminderForm({ reminder, onDone }: { reminder: Reminder | null; onDone: (changed: boolean) => void }) {
  const [kind, setKind] = useState<ReminderKind>(reminder?.kind ?? 'morning_checkin');
  const [time, setTime] = useState(reminder?.local_time.slice(0, 5) ?? '08:00');
  const [weekdays, setWeekdays] = useState<number[]>(reminder?.weekdays?.length ? reminder.weekdays : [0, 1, 2, 3, 4, 5, 6]);
  const [channels, setChannels] = useState<Channel[]>(reminder?.channels ?? ['push']);
  const [enabled, setEnabled] = useState(reminder?.enabled ?? true);
  const [message, setMessage] = useState(reminder?.message ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!channels.length) {
      setError(new ApiError('validation', 400, { channels: [R.needChannel] }));
      return;
    }
    setBusy(true);
    setError(null);
    const body = { kind, local_time: time, weekdays: [...weekdays].sort(), channels, enabled, message };
    try {
      if (reminder) await api(`/api/v1/reminders/${reminder.id}/`, { method: 'PATCH', body });
      else await api('/api/v1/reminders/', { method: 'POST', body });
      toast(strings.saved.reminder);
      onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="reminder-form-title">
      <h2 id="reminder-form-title">{reminder ? R.editTitle : R.newTitle}</h2>
      <FormError error={error} shownFields={['kind', 'local_time', 'weekdays', 'channels', 'enabled', 'message']} />
      <Select label={R.kind} name="kind" value={kind} options={KINDS.map((k) => ({ value: k, label: R.kinds[k] }))} onValue={setKind} errors={errors} />
      <TextField label={R.time} name="local_time" type="time" value={time} onValue={setTime} errors={errors} required />
      <fieldset class="group weekdays">
        <legend>{R.weekdays}</legend>
        <div class="two-col">
          {R.weekdayLong.map((day, i) => (
            <Checkbox key={day} label={day} name={`weekday-${i}`} checked={weekdays.includes(i)} onValue={(on) => setWeekdays(toggle(weekdays, i, on))} />
          ))}
        </div>
        {errors.weekdays && <p class="field-error">{errors.weekdays.join(' ')}</p>}
      </fieldset>
      <fieldset class="group">
        <legend>{R.channels}</legend>
        <Checkbox label={R.push} name="channel-push" checked={channels.includes('push')} onValue={(on) => setChannels(toggle(channels, 'push', on))} />
        <Checkbox label={R.email} name="channel-email" checked={channels.includes('email')} onValue={(on) => setChannels(toggle(channels, 'email', on))} />
        {errors.channels && <p class="field-error">{errors.channels.join(' ')}</p>}
      </fieldset>
      <Checkbox label={R.enabled} name="enabled" checked={enabled} onValue={setEnabled} errors={errors} />
      <TextField label={R.message} name="message" value={message} onValue={setMessage} errors={errors} />
      <div class="row">
        <Button type="submit" kind="primary" busy={busy}>
          {strings.save}
        </Button>
        <Button onClick={() => onDone(false)}>{strings.cancel}</Button>
      </div>
    </form>
  );
}

function Notifications() {
  const { support, subscribed, setSubscribed, message, setMessage, busy, enable } = usePushOnThisDevice({
    enabled: R.enabledOk,
    denied: R.denied,
    unsupported: R.unsupported,
    'ios-install-first': R.iosFirst,
  });

  return (
    <section class="card" aria-labelledby="notif-title">
      <h2 id="notif-title">{R.notifications}</h2>
      {support === 'ios-install-first' ? (
        <p data-testid="ios-install-hint">{R.iosFirst}</p>
      ) : support === 'unsupported' ? (
        <p>{R.unsupported}</p>
      ) : subscribed ? (
        <>
          <p>{R.alreadyOn}</p>
          <Button
            onClick={async () => {
              await disablePush({ server: true });
              setSubscribed(false);
              setMessage(R.disabledOk);
            }}
          >
            {R.disable}
          </Button>
        </>
      ) : permission() === 'denied' ? (
        <p>{R.denied}</p>
      ) : (
        <>
          <p class="hint">{R.whyAsk}</p>
          <Button kind="primary" onClick={enable} busy={busy} testid="enable-notifications">
            {busy ? R.enabling : R.enable}
          </Button>
        </>
      )}
      {message && (
        <p role="status" class="note">
          {message}
        </p>
      )}
    </section>
  );
}

function Deliveries({ reminders }: { reminders: Reminder[] }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  // On the patient's own clock, the one their reminders keep (and their reasons are written in).
  const { profile } = useStore(app);
  const when = (iso: string) => ownClockTime(iso, profile?.timezone, deviceTimeZone(), { weekday: true, year: false });
  useEffect(() => {
    listFirst<Delivery>('/api/v1/reminders/deliveries/?page_size=20')
      .then(setItems)
      .catch(() => setItems(null));
  }, []);
  const kindOf = (id: string) => {
    const r = reminders.find((x) => x.id === id);
    return r ? (R.kinds[r.kind] ?? r.kind) : '';
  };
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{R.deliveries}</h2>
      {items && items.length === 0 && <p>{R.noDeliveries}</p>}
      {items && items.length > 0 && (
        <ul class="entry-list compact" data-testid="deliveries-list">
          {items.map((d) => (
            <li key={d.id} class="entry">
              <p>
                <strong>{kindOf(d.reminder)}</strong> · {when(d.scheduled_for)} · {R.channelName[d.channel]} ·{' '}
                <span class={`badge badge-${d.status}`}>{R.status[d.status] ?? d.status}</span>
              </p>
              {d.reason && <p class="hint">{d.reason}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
