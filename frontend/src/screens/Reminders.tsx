// Reminders: list, create, edit, switch on/off, done/snooze; notifications on this phone (with the
// iOS "Add to Home Screen" step first); recent deliveries. Each card shows only what fits its state
// (src/logic/reminderCard.ts): Done and Snooze once it fired, a weekly summary's "Read" once it came,
// and the rest behind one "Change".

import { useEffect, useId, useState } from 'preact/hooks';
import { api, ApiError, listFirst } from '../api/client';
import type { Channel, Delivery, Reminder, ReminderKind } from '../api/types';
import { currentSubscription, disablePush, permission, pushSupport } from '../push/subscribe';
import { usePushOnThisDevice } from '../push/usePushOnThisDevice';
import { reminderCard } from '../logic/reminderCard';
import { deviceTimeZone, ownClockTime } from '../logic/time';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Checkbox, Choice, FormError, Select, TextField } from '../ui/form';
import { A, Confirm, Page } from '../ui/widgets';

const R = strings.reminders;
const KINDS = Object.keys(R.kinds) as ReminderKind[];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
// The weekly summary's suggestion: Sunday evening, when the week is nearly over.
const SUMMARY_DAY = 6;
const SUMMARY_TIME = '19:00';

type Push = ReturnType<typeof usePushOnThisDevice>;

function daysText(days: number[]): string {
  if (!days.length || days.length === 7) return R.everyDay;
  return [...days].sort().map((d) => R.weekdayShort[d]).join(', ');
}

/** Whether a notification would not reach this phone: no permission, or no subscription here. */
async function pushMissingHere(): Promise<boolean> {
  if (pushSupport() !== 'supported' || permission() !== 'granted') return true;
  return (await currentSubscription()) === null;
}

/** An email address that may break after its "@" (at 200% text it is wider than a phone), not mid-word. */
function Address({ email }: { email: string }) {
  const at = email.lastIndexOf('@');
  if (at < 0) return <span class="address">{email}</span>;
  return (
    <span class="address">
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </span>
  );
}

function useEmailAddress(): string {
  const { profile, user } = useStore(app);
  return profile?.email ?? user?.email ?? '';
}

export function Reminders() {
  const [reminders, setReminders] = useState<Reminder[] | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Reminder | 'new' | null>(null);
  const [noPush, setNoPush] = useState<Reminder | null>(null);
  const push = usePushOnThisDevice({
    enabled: R.enabledOk,
    denied: R.denied,
    unsupported: R.unsupported,
    'ios-install-first': R.iosFirst,
  });

  const load = async () => {
    try {
      setReminders(await listFirst<Reminder>('/api/v1/reminders/?page_size=100'));
      setError(null);
    } catch (e) {
      setError(e);
    }
    // The cards read their state from these (fired? done?); the list below shows them.
    listFirst<Delivery>('/api/v1/reminders/deliveries/?page_size=50')
      .then(setDeliveries)
      .catch(() => setDeliveries(null));
  };
  useEffect(() => {
    void load();
  }, []);

  // Turned on from the notice: it has said what it had to.
  useEffect(() => {
    if (push.subscribed && noPush) setNoPush(null);
  }, [push.subscribed]);

  return (
    <Page title={strings.titles.reminders} intro={R.intro}>
      <Notifications push={push} showMessage={!noPush} />
      {error ? <FormError error={error} /> : null}
      {noPush && (
        <NoPushNotice
          reminder={noPush}
          push={push}
          onClose={() => setNoPush(null)}
          onChanged={() => {
            setNoPush(null);
            void load();
          }}
        />
      )}
      {editing && (
        <ReminderForm
          reminder={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (!saved) return;
            void load();
            if (saved.channels.includes('push')) {
              void pushMissingHere().then((missing) => setNoPush(missing ? saved : null));
            }
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
            <ReminderRow key={r.id} reminder={r} deliveries={deliveries ?? []} onEdit={() => setEditing(r)} onChanged={load} />
          ))}
        </ul>
      )}
      <Deliveries reminders={reminders ?? []} items={deliveries} />
    </Page>
  );
}

function ReminderRow({
  reminder: r,
  deliveries,
  onEdit,
  onChanged,
}: {
  reminder: Reminder;
  deliveries: Delivery[];
  onEdit: () => void;
  onChanged: () => void;
}) {
  const [changing, setChanging] = useState(false);
  const [snoozing, setSnoozing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const changeId = useId();
  const snoozeId = useId();
  const name = R.kinds[r.kind] ?? r.kind;
  // The reminder keeps the profile's clock: its times are said on that clock, labelled when the phone's differs.
  const { profile } = useStore(app);
  const email = useEmailAddress();
  const zone = profile?.timezone ?? deviceTimeZone();
  const when = (iso: string) => ownClockTime(iso, profile?.timezone, deviceTimeZone(), { weekday: true, year: false });
  const view = reminderCard(r, deliveries, new Date(), zone);
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await fn();
      if (done) toast(done);
      setSnoozing(false);
      setChanging(false);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const url = `/api/v1/reminders/${r.id}/`;
  return (
    <li class={`entry reminder-card${r.enabled ? '' : ' is-off'}`} data-testid="reminder-item" data-state={view.state}>
      <p class="entry-head">
        <strong>{name}</strong> <span class="badge">{r.enabled ? R.on : R.off}</span>
      </p>
      <p>
        {r.local_time.slice(0, 5)} · {daysText(r.weekdays)} · {r.channels.map((c) => R.channelName[c]).join(', ')}
      </p>
      {r.channels.includes('email') && email && (
        <p class="hint" data-testid="reminder-email">
          {R.emailTo} <Address email={email} />.
        </p>
      )}
      {r.message && <p class="hint">{r.message}</p>}
      <p class="hint">{r.next_fire_at ? R.next(when(r.next_fire_at)) : R.noNext}</p>
      {error ? <FormError error={error} /> : null}

      {view.state === 'due' && view.occurrence && (
        <>
          <p class="reminder-due" data-testid="reminder-due">
            {R.firedAt(when(view.occurrence))}
          </p>
          <div class="row wrap">
            <Button
              kind="primary"
              testid="reminder-done"
              onClick={() => void run(() => api(`${url}done/`, { method: 'POST', body: { occurrence: view.occurrence } }), R.markedDone)}
              ariaLabel={`${R.done}: ${name}`}
            >
              {R.done}
            </Button>
            <button
              type="button"
              class="btn btn-secondary"
              aria-expanded={snoozing}
              aria-controls={snoozeId}
              aria-label={`${R.snoozeOpen}: ${name}`}
              data-testid="reminder-snooze"
              onClick={() => setSnoozing(!snoozing)}
            >
              {R.snoozeOpen}
            </button>
          </div>
          {snoozing && (
            <div class="row wrap" id={snoozeId} role="group" aria-label={`${R.snoozeFor}: ${name}`}>
              {[10, 30, 60].map((m) => (
                <Button key={m} onClick={() => void run(() => api(`${url}snooze/`, { method: 'POST', body: { minutes: m } }), R.snoozed(m))} ariaLabel={`${R.snooze(m)}: ${name}`}>
                  {R.minutes(m)}
                </Button>
              ))}
            </div>
          )}
        </>
      )}
      {view.state === 'done' && <p class="hint">{R.doneAlready}</p>}
      {view.state === 'summary-ready' && view.summaryWeek && (
        <div class="row wrap">
          <A href={`/summary/weekly?week=${view.summaryWeek}`} class="btn btn-primary" testid="reminder-read-summary">
            {R.readSummary}
          </A>
        </div>
      )}

      {!confirming && (
        <div class="row wrap">
          <button
            type="button"
            class="btn btn-link"
            aria-expanded={changing}
            aria-controls={changeId}
            aria-label={`${R.change}: ${name}`}
            data-testid="reminder-change"
            onClick={() => setChanging(!changing)}
          >
            {R.change}
          </button>
        </div>
      )}
      {changing && !confirming && (
        <div class="row wrap" id={changeId} data-testid="reminder-change-panel">
          {view.change.map((what) =>
            what === 'edit' ? (
              <Button key={what} onClick={onEdit} ariaLabel={`${strings.edit}: ${name}`}>
                {strings.edit}
              </Button>
            ) : what === 'delete' ? (
              <Button key={what} kind="danger" onClick={() => setConfirming(true)} ariaLabel={`${strings.delete}: ${name}`}>
                {strings.delete}
              </Button>
            ) : (
              <Button
                key={what}
                onClick={() => void run(() => api(url, { method: 'PATCH', body: { enabled: what === 'turn-on' } }), what === 'turn-on' ? R.turnedOn : R.turnedOff)}
                ariaLabel={`${what === 'turn-on' ? R.turnOn : R.turnOff}: ${name}`}
              >
                {what === 'turn-on' ? R.turnOn : R.turnOff}
              </Button>
            ),
          )}
        </div>
      )}
      {confirming && (
        <Confirm
          question={R.confirmDelete}
          yes={R.yesDelete}
          no={strings.cancel}
          danger
          onYes={() => run(() => api(url, { method: 'DELETE' }), strings.saved.reminderDeleted)}
          onNo={() => setConfirming(false)}
        />
      )}
    </li>
  );
}

function NoPushNotice({ reminder, push, onClose, onChanged }: { reminder: Reminder; push: Push; onClose: () => void; onChanged: () => void }) {
  const email = useEmailAddress();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const name = R.kinds[reminder.kind] ?? reminder.kind;
  const blocked = permission() === 'denied';
  const toEmail = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/reminders/${reminder.id}/`, { method: 'PATCH', body: { channels: ['email'] } });
      toast(R.movedToEmail(email));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card no-push" aria-labelledby="no-push-title" data-testid="no-push-notice">
      <h2 id="no-push-title">{R.noPushTitle}</h2>
      <p role="status">{R.noPush(name)}</p>
      {email && (
        <p>
          {R.noPushChoice} <Address email={email} />.
        </p>
      )}
      {push.support === 'ios-install-first' ? (
        <p>{R.iosFirst}</p>
      ) : push.support === 'unsupported' ? (
        <p>{R.unsupported}</p>
      ) : blocked ? (
        <p>{R.denied}</p>
      ) : (
        <Button kind="primary" onClick={push.enable} busy={push.busy} testid="no-push-enable">
          {push.busy ? R.enabling : R.noPushEnable}
        </Button>
      )}
      {push.message && (
        <p role="status" class="note">
          {push.message}
        </p>
      )}
      <FormError error={error} />
      <div class="row wrap">
        {email && (
          <Button onClick={toEmail} busy={busy} testid="no-push-email">
            {R.noPushEmail}
          </Button>
        )}
        <Button kind="link" onClick={onClose} testid="no-push-keep">
          {R.noPushKeep}
        </Button>
      </div>
    </section>
  );
}

function ReminderForm({ reminder, onDone }: { reminder: Reminder | null; onDone: (saved: Reminder | null) => void }) {
  const [kind, setKind] = useState<ReminderKind>(reminder?.kind ?? 'morning_checkin');
  const [time, setTime] = useState(reminder?.local_time.slice(0, 5) ?? '08:00');
  const [weekdays, setWeekdays] = useState<number[]>(reminder?.weekdays?.length ? reminder.weekdays : EVERY_DAY);
  const [channels, setChannels] = useState<Channel[]>(reminder?.channels ?? ['push']);
  const [enabled, setEnabled] = useState(reminder?.enabled ?? true);
  const [message, setMessage] = useState(reminder?.message ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const email = useEmailAddress();
  const weekly = kind === 'weekly_summary';

  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value));
  const chooseKind = (next: ReminderKind) => {
    setKind(next);
    if (next !== 'weekly_summary') return;
    // A suggestion, changed with one tap: Sunday 19:00 for a new one; one day of those chosen otherwise.
    if (!reminder) setTime(SUMMARY_TIME);
    setWeekdays((days) => (days.length === 1 ? days : [SUMMARY_DAY]));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!channels.length) {
      setError(new ApiError('validation', 400, { channels: [R.needChannel] }));
      return;
    }
    setBusy(true);
    setError(null);
    const body = { kind, local_time: time, weekdays: [...weekdays].sort(), channels, enabled, message: weekly ? '' : message };
    try {
      const saved = reminder
        ? await api<Reminder>(`/api/v1/reminders/${reminder.id}/`, { method: 'PATCH', body })
        : await api<Reminder>('/api/v1/reminders/', { method: 'POST', body });
      toast(strings.saved.reminder);
      onDone(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="reminder-form-title" data-testid="reminder-form">
      <h2 id="reminder-form-title">{reminder ? R.editTitle : R.newTitle}</h2>
      <FormError error={error} shownFields={['kind', 'local_time', 'weekdays', 'channels', 'enabled', 'message']} />
      <Select
        label={R.kind}
        name="kind"
        value={kind}
        options={KINDS.map((k) => ({ value: k, label: R.kinds[k] }))}
        onValue={chooseKind}
        errors={errors}
        hint={weekly ? R.summaryHint : undefined}
        testid="reminder-kind"
      />
      <TextField label={R.time} name="local_time" type="time" value={time} onValue={setTime} errors={errors} required />
      {weekly ? (
        <Choice
          legend={R.summaryDay}
          name="weekdays"
          options={R.weekdayLong.map((day, i) => ({ value: i, label: day }))}
          value={weekdays.length === 1 ? weekdays[0] : null}
          onValue={(day) => setWeekdays([day])}
          errors={errors}
          testid="summary-day"
        />
      ) : (
        <fieldset class="group weekdays">
          <legend>{R.weekdays}</legend>
          <div class="two-col">
            {R.weekdayLong.map((day, i) => (
              <Checkbox key={day} label={day} name={`weekday-${i}`} checked={weekdays.includes(i)} onValue={(on) => setWeekdays(toggle(weekdays, i, on))} />
            ))}
          </div>
          {errors.weekdays && <p class="field-error">{errors.weekdays.join(' ')}</p>}
        </fieldset>
      )}
      <fieldset class="group">
        <legend>{R.channels}</legend>
        <Checkbox label={R.push} name="channel-push" checked={channels.includes('push')} onValue={(on) => setChannels(toggle(channels, 'push', on))} />
        <Checkbox label={R.email} name="channel-email" checked={channels.includes('email')} onValue={(on) => setChannels(toggle(channels, 'email', on))} />
        {channels.includes('email') && email && (
          <p class="hint">
            {R.emailTo} <Address email={email} />.
          </p>
        )}
        {errors.channels && <p class="field-error">{errors.channels.join(' ')}</p>}
      </fieldset>
      <Checkbox label={R.enabled} name="enabled" checked={enabled} onValue={setEnabled} errors={errors} />
      {!weekly && <TextField label={R.message} name="message" value={message} onValue={setMessage} errors={errors} />}
      <div class="row wrap">
        <Button type="submit" kind="primary" busy={busy}>
          {strings.save}
        </Button>
        <Button onClick={() => onDone(null)}>{strings.cancel}</Button>
      </div>
    </form>
  );
}

function Notifications({ push, showMessage }: { push: Push; showMessage: boolean }) {
  const { support, subscribed, setSubscribed, message, setMessage, busy, enable } = push;

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
      {message && showMessage && (
        <p role="status" class="note">
          {message}
        </p>
      )}
    </section>
  );
}

function Deliveries({ reminders, items }: { reminders: Reminder[]; items: Delivery[] | null }) {
  // On the patient's own clock, the one their reminders keep (and their reasons are written in).
  const { profile } = useStore(app);
  const when = (iso: string) => ownClockTime(iso, profile?.timezone, deviceTimeZone(), { weekday: true, year: false });
  // An urgent alert's delivery has no reminder (null): it is listed unnamed.
  const kindOf = (id: string | null) => {
    const r = reminders.find((x) => x.id === id);
    return r ? (R.kinds[r.kind] ?? r.kind) : '';
  };
  const shown = items?.slice(0, 20) ?? null;
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{R.deliveries}</h2>
      {shown && shown.length === 0 && <p>{R.noDeliveries}</p>}
      {shown && shown.length > 0 && (
        <ul class="entry-list compact" data-testid="deliveries-list">
          {shown.map((d) => (
            <li key={d.id} class="entry">
              <p>
                <strong>{kindOf(d.reminder)}</strong> · {when(d.scheduled_for)} · {R.channelName[d.channel]} ·{' '}
                <span class={`badge badge-${d.status}`}>{R.status[d.status] ?? d.status}</span>
              </p>
              {d.reason_text && <p class="hint">{d.reason_text}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
