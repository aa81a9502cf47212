// Logging a cramp (/cramp: two taps from Today, "Cramp" then "Save") and the check-in (/checkin).
// Both keep Save and Cancel in reach at the bottom of the screen, ask before a draft is dropped (Back,
// Cancel or a tab), refuse a note past its limit rather than cut it, and once saved leave the form's
// history entry for Today, so Back does not reopen a blank form that invites a duplicate.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { CheckIn, Collection, Insight } from '../api/types';
import { resultText } from '../data/log';
import { refreshInsights } from '../data/insights';
import { deviceTimeZone, localParts } from '../logic/time';
import { urgentForCheckin, type LocalInsight } from '../logic/urgent';
import { afterAnswer, cancelTarget, hasDraft, onLeave } from '../logic/draft';
import { notesOverLimit } from '../logic/notes';
import { goBack, historyDepth, navigate, setLeaveGuard, useRoute } from '../router';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { resubmit, submit, type ItemResult } from '../sync/runtime';
import { Button, FormError, type FieldErrors } from '../ui/form';
import { DiscardDialog, FormActions, Page, UrgentBanner, urgentOf } from '../ui/widgets';
import { CheckinFields, checkinFromData, checkinToBody, type CheckinForm } from '../kinds/checkin';
import { CrampFields, crampToBody, newCramp, type CrampForm } from '../kinds/cramp';

/** Sends a new entry, or resends the one that failed before under its own key (so it lands once). */
async function sendOrResend(
  collection: Collection,
  body: Record<string, unknown>,
  waitMs: number,
  failedKey: string | null,
): Promise<{ key: string | null; result: ItemResult }> {
  if (failedKey) return { key: failedKey, result: await resubmit(failedKey, body, waitMs) };
  const out = await submit({ collection, method: 'POST', body }, waitMs);
  return { key: out.item?.key ?? null, result: out.result };
}

function failure(result: ItemResult): ApiError | null {
  if (result.kind !== 'failed') return null;
  const e = result.item.error;
  return new ApiError('validation', e?.status ?? 400, e?.fields ?? {}, e?.detail);
}


/** A leave the person has asked for and is being asked about: where to, and how it was asked. */
type Leave = { how: 'back' | 'link'; to: string } | { how: 'cancel' };

function leaveNow(leave: Leave): void {
  if (leave.how === 'back') return goBack();
  if (leave.how === 'link') return navigate(leave.to, { force: true });
  const target = cancelTarget(historyDepth());
  if (target.kind === 'back') goBack();
  else navigate(target.to, { replace: true, force: true });
}

/**
 * Holds Back, Cancel and the tabs while the form has a draft (`draft`, read when the leave comes): the
 * screen then shows its DiscardDialog (`asking`), and `answer` stays or leaves.
 */
function useDraftGuard(draft: boolean) {
  const [asking, setAsking] = useState<Leave | null>(null);
  const latest = useRef(draft);
  latest.current = draft;
  useEffect(() => {
    setLeaveGuard((to, how) => {
      if (onLeave({ draft: latest.current, saved: false }) === 'go') return true;
      setAsking({ how, to });
      return false;
    });
    return () => setLeaveGuard(null);
  }, []);
  return {
    asking,
    cancel: () => (onLeave({ draft: latest.current, saved: false }) === 'ask' ? setAsking({ how: 'cancel' }) : leaveNow({ how: 'cancel' })),
    answer: (answer: 'keep' | 'discard') => {
      const leave = asking;
      setAsking(null);
      if (leave && afterAnswer(answer) === 'go') leaveNow(leave);
    },
  };
}

/** Save refused before sending (a note past its limit): said at the top while the note is still too long. */
function refusal(refused: boolean, notes: string): ApiError | null {
  return refused && notesOverLimit({ notes }).length ? new ApiError('validation', 400, {}, strings.noteLimit.notSaved) : null;
}

/** After Save: Today in place of the form, so Back leads to where the person came from. */
function leaveSaved(): void {
  navigate('/', { replace: true, force: true });
}

/** Brings a refused note into view and to the focus (More details opens for it). */
function focusNotes(form: HTMLFormElement): void {
  requestAnimationFrame(() => {
    const box = form.querySelector<HTMLTextAreaElement>('textarea[name="notes"]');
    box?.closest('details')?.setAttribute('open', '');
    // The field from its label and message down, not the box alone (taller than the screen at 200% text).
    box?.closest('.field')?.scrollIntoView({ block: 'start' });
    box?.focus({ preventScroll: true });
  });
}

export function CrampScreen() {
  const opened = useMemo(() => new Date(), []);
  const [blank] = useState<CrampForm>(() => newCramp(opened));
  const [form, setForm] = useState<CrampForm>(blank);
  const [timeTouched, setTimeTouched] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const guard = useDraftGuard(hasDraft(blank, form));

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (notesOverLimit({ notes: form.notes }).length) {
      setRefused(true);
      focusNotes(event.currentTarget as HTMLFormElement);
      return;
    }
    setRefused(false);
    setBusy(true);
    const body = crampToBody(form);
    if (!timeTouched) body.started_at = opened.toISOString();
    const { key, result } = await sendOrResend('cramps', body, 3000, failedKey);
    setBusy(false);
    const failed = failure(result);
    if (failed) {
      setFailedKey(key);
      setError(failed);
      return;
    }
    toast(resultText(strings.saved.cramp, result));
    leaveSaved();
  }

  const errors: FieldErrors = error?.fields ?? {};
  return (
    <Page title={strings.titles.cramp}>
      <form onSubmit={save} noValidate>
        <FormError error={refusal(refused, form.notes) ?? error} shownFields={['side', 'muscle', 'severity', 'started_at', 'duration_seconds', 'activity', 'woke_from_sleep', 'relieved_by_rest', 'notes']} />
        <CrampFields value={form} onChange={setForm} errors={errors} onTimeTouched={() => setTimeTouched(true)} />
        <FormActions>
          <Button type="submit" kind="primary" class="btn-save" testid="save-cramp" busy={busy}>
            {strings.crampSave}
          </Button>
          <Button onClick={guard.cancel} testid="cancel-form">
            {strings.cancel}
          </Button>
        </FormActions>
      </form>
      {guard.asking && <DiscardDialog title={strings.leaveForm.cramp} onAnswer={guard.answer} />}
    </Page>
  );
}

type Shown = Array<Pick<Insight, 'code' | 'title' | 'explanation'> & { action?: string }>;

export function CheckinScreen() {
  const { profile } = useStore(app);
  const { query } = useRoute();
  const preset = query.get('cramps');
  const [blank] = useState<CheckinForm>(() => ({
    ...checkinFromData({}),
    cramps_last_night: preset === 'some' || preset === 'none' ? preset : 'unsaid',
  }));
  const [form, setForm] = useState<CheckinForm>(blank);
  const [error, setError] = useState<ApiError | null>(null);
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const [urgent, setUrgent] = useState<Shown | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const guard = useDraftGuard(savedNote === null && hasDraft(blank, form));

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (notesOverLimit({ notes: form.notes }).length) {
      setRefused(true);
      focusNotes(event.currentTarget as HTMLFormElement);
      return;
    }
    setRefused(false);
    setBusy(true);
    setError(null);
    const body = checkinToBody(form);
    const zone = profile?.timezone || deviceTimeZone();
    const local: LocalInsight[] = urgentForCheckin(
      { ...(body as Partial<CheckIn>), local_date: localParts(new Date(String(body.recorded_at)), zone).date },
      profile?.previous_dvt ?? false,
    );
    // Shown at once, before (and whether or not) the server answers.
    if (local.length) setUrgent(local);
    const { key, result } = await sendOrResend('checkins', body, 8000, failedKey);
    setBusy(false);
    const failed = failure(result);
    if (failed) {
      setFailedKey(key);
      setError(failed);
      return;
    }
    let shown: Shown = local;
    if (result.kind === 'sent') {
      // Online: the server's word on this very check-in.
      shown = urgentOf((result.body as CheckIn | null)?.insights ?? []);
      void refreshInsights();
    }
    if (shown.length) {
      setUrgent(shown);
      setSavedNote(result.kind === 'sent' ? strings.checkin.savedUrgent : strings.checkin.savedOfflineUrgent);
      window.scrollTo(0, 0);
      return;
    }
    setUrgent(null);
    toast(resultText(strings.saved.checkin, result));
    leaveSaved();
  }

  if (savedNote) {
    return (
      <Page title={strings.titles.checkin}>
        <UrgentBanner insights={urgent ?? []} />
        <p class="saved-note">{savedNote}</p>
        <a
          href="/"
          class="btn btn-secondary"
          onClick={(e) => {
            e.preventDefault();
            leaveSaved();
          }}
        >
          {strings.backToToday}
        </a>
      </Page>
    );
  }

  const errors: FieldErrors = error?.fields ?? {};
  return (
    <Page title={strings.titles.checkin} intro={strings.checkin.intro}>
      {urgent && <UrgentBanner insights={urgent} />}
      <form onSubmit={save} noValidate>
        <FormError error={refusal(refused, form.notes) ?? error} shownFields={Object.keys(checkinToBody(form))} />
        <CheckinFields value={form} onChange={setForm} errors={errors} />
        <FormActions>
          <Button type="submit" kind="primary" class="btn-save" testid="save-checkin" busy={busy}>
            {strings.save}
          </Button>
          <Button onClick={guard.cancel} testid="cancel-form">
            {strings.cancel}
          </Button>
        </FormActions>
      </form>
      {guard.asking && <DiscardDialog title={strings.leaveForm.checkin} onAnswer={guard.answer} />}
    </Page>
  );
}
