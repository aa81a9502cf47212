// My medicines (/medicines, from More and from the profile's water-tablet question): the ones taken now and
// the ones stopped, add and edit, and "Stopped taking it" (today as the stop, shown in the form to change
// before it is saved). Everything goes through the offline queue, like any diary entry.

import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Entry } from '../data/entries';
import { useEntries, useNow, useTimeZone } from '../data/hooks';
import { resultText } from '../data/log';
import { MedicationFields, medicationFromData, medicationProblems, medicationToBody, stoppedToday, type MedicationForm } from '../kinds/medication';
import { formatLocalDate, localParts } from '../logic/time';
import { toast } from '../state';
import { strings } from '../strings';
import { resubmit, submit, type ItemResult } from '../sync/runtime';
import { Button, FormError, TextField, type FieldErrors } from '../ui/form';
import { A, Page } from '../ui/widgets';
import { stateBadge } from './QueueList';

const M = strings.medicines;

type Editing = { kind: 'new' } | { kind: 'edit'; entry: Entry; stopping: boolean } | null;

export function Medicines() {
  const { entries } = useEntries();
  const zone = useTimeZone();
  const now = useNow(60_000);
  const today = localParts(now, zone).date;
  const [editing, setEditing] = useState<Editing>(null);
  const mine = (entries ?? []).filter((e) => e.collection === 'medications');
  // Taken now: no stop, or a stop still to come (written ahead by hand).
  const current = mine.filter((e) => !e.data.stopped_on || String(e.data.stopped_on) > today);
  const stopped = mine.filter((e) => !current.includes(e));

  return (
    <Page title={strings.titles.medicines} intro={M.intro} lead={<A href="/more">{strings.nav.more}</A>}>
      {editing ? (
        <MedicineForm editing={editing} today={today} zone={zone} onDone={() => setEditing(null)} />
      ) : (
        <p class="row wrap">
          <Button kind="primary" onClick={() => setEditing({ kind: 'new' })} testid="medicine-add">
            {M.add}
          </Button>
        </p>
      )}
      {entries === null ? (
        <p>{strings.loading}</p>
      ) : mine.length === 0 ? (
        <p>{M.empty}</p>
      ) : (
        <>
          {current.length > 0 && <MedicineList title={M.taking} list={current} testid="medicines-current" onEdit={(entry, stopping) => setEditing({ kind: 'edit', entry, stopping })} />}
          {stopped.length > 0 && <MedicineList title={M.stopped} list={stopped} testid="medicines-stopped" onEdit={(entry) => setEditing({ kind: 'edit', entry, stopping: false })} />}
        </>
      )}
    </Page>
  );
}

/** The list's line under the name: the dose, the kind in plain words, how it is taken (the dates follow). */
function medicineLine(d: Record<string, unknown>): string {
  const dose = typeof d.dose === 'string' ? d.dose.trim() : '';
  return [dose, strings.drugClass[String(d.drug_class)], strings.schedule[String(d.schedule)]].filter(Boolean).join(' · ');
}

function MedicineList(p: { title: string; list: Entry[]; testid: string; onEdit: (entry: Entry, stopping: boolean) => void }) {
  return (
    <section aria-labelledby={`${p.testid}-title`}>
      <h2 id={`${p.testid}-title`}>{p.title}</h2>
      <ul class="entry-list" data-testid={p.testid}>
        {p.list.map((e) => {
          const name = String(e.data.name ?? '');
          const stoppedOn = formatLocalDate(e.data.stopped_on);
          const started = formatLocalDate(e.data.started_on) || strings.notSaid;
          return (
            <li class={`entry medicine state-${e.state}`} key={e.id} data-testid="medicine-item" data-name={name}>
              <p class="entry-head">
                <strong>{name}</strong>
                {e.state !== 'synced' && <span class={`badge badge-${e.state}`}> {stateBadge(e.state)}</span>}
              </p>
              <p>{medicineLine(e.data)}</p>
              <p class="hint">{stoppedOn ? M.fromTo(started, stoppedOn) : M.since(started)}</p>
              <div class="row wrap entry-actions">
                <Button onClick={() => p.onEdit(e, false)} ariaLabel={`${strings.edit}: ${name}`}>
                  {strings.edit}
                </Button>
                {!stoppedOn && (
                  <Button onClick={() => p.onEdit(e, true)} testid="medicine-stop">
                    {M.stop}
                  </Button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function MedicineForm({ editing, today, zone, onDone }: { editing: Exclude<Editing, null>; today: string; zone: string; onDone: () => void }) {
  const [form, setForm] = useState<MedicationForm>(() => {
    if (editing.kind === 'new') return medicationFromData({});
    const f = medicationFromData(editing.entry.data);
    return editing.stopping ? stoppedToday(f, new Date(), zone) : f;
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const title = editing.kind === 'new' ? M.addTitle : editing.stopping ? M.stop : M.editTitle(form.name || strings.history.kinds.medications);

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = medicationProblems(form, today);
    setErrors(problems);
    if (Object.keys(problems).length) {
      setError(new ApiError('validation', 400, problems));
      return;
    }
    setBusy(true);
    let result: ItemResult;
    if (editing.kind === 'new') {
      result = (await submit({ collection: 'medications', method: 'POST', body: medicationToBody(form, 'new') }, 3000)).result;
    } else {
      const { entry } = editing;
      const body = medicationToBody(form, 'edit');
      result =
        entry.queueKey && entry.queueMethod !== 'DELETE' && entry.state !== 'conflict'
          ? await resubmit(entry.queueKey, body, 3000)
          : (await submit({ collection: 'medications', method: 'PATCH', recordId: entry.id, body }, 3000)).result;
    }
    setBusy(false);
    if (result.kind === 'failed') {
      const e = result.item.error;
      setErrors(e?.fields ?? {});
      setError(new ApiError('validation', e?.status ?? 400, e?.fields ?? {}, e?.detail));
      return;
    }
    const stoppedName = editing.kind === 'edit' && editing.stopping && form.stopped_on ? form.name.trim() : null;
    toast(resultText(stoppedName ? strings.saved.medicineStopped(stoppedName) : strings.saved.medicine, result));
    onDone();
  };

  return (
    <form class="medicine-form" onSubmit={save} noValidate aria-label={title} data-testid="medicine-form">
      <h2>{title}</h2>
      {editing.kind === 'edit' && editing.stopping && <p class="hint">{M.stopHint}</p>}
      <FormError error={error} shownFields={Object.keys(errors)} />
      {editing.kind === 'edit' && editing.stopping ? (
        // Only the question asked: the rest of the medicine stays as it is (Edit changes it).
        <TextField label={M.stoppedOn} name="stopped_on" type="date" max={today} min={form.started_on || undefined} value={form.stopped_on} onValue={(stopped_on) => setForm({ ...form, stopped_on })} errors={errors} testid="medicine-stopped" />
      ) : (
        <MedicationFields value={form} onChange={(update) => setForm(update)} errors={errors} />
      )}
      <div class="row wrap">
        <Button type="submit" kind="primary" busy={busy} testid="medicine-save">
          {strings.save}
        </Button>
        <Button onClick={onDone}>{strings.cancel}</Button>
      </div>
    </form>
  );
}
