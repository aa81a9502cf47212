// Logging a cramp (/cramp: two taps from Today, "Cramp" then "Save") and the check-in (/checkin).

import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { CheckIn, Collection, Insight } from '../api/types';
import { resultText } from '../data/log';
import { refreshInsights } from '../data/insights';
import { deviceTimeZone, localParts } from '../logic/time';
import { urgentForCheckin, type LocalInsight } from '../logic/urgent';
import { navigate, useRoute } from '../router';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { resubmit, submit, type ItemResult } from '../sync/runtime';
import { Button, FormError, type FieldErrors } from '../ui/form';
import { A, Page, UrgentBanner, urgentOf } from '../ui/widgets';
import { CheckinFields, CrampFields, checkinFromData, checkinToBody, crampToBody, newCramp, type CheckinForm, type CrampForm } from './entryForms';

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

export function CrampScreen() {
  const opened = useMemo(() => new Date(), []);
  const [form, setForm] = useState<CrampForm>(() => newCramp(opened));
  const [timeTouched, setTimeTouched] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
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
    navigate('/');
  }

  const errors: FieldErrors = error?.fields ?? {};
  return (
    <Page title={strings.titles.cramp}>
      <form onSubmit={save} noValidate>
        <FormError error={error} shownFields={['side', 'muscle', 'severity', 'started_at', 'duration_seconds', 'activity', 'woke_from_sleep', 'relieved_by_rest', 'notes']} />
        <CrampFields value={form} onChange={setForm} errors={errors} onTimeTouched={() => setTimeTouched(true)}>
          <Button type="submit" kind="primary" class="btn-huge sticky-save" testid="save-cramp" busy={busy}>
            {strings.crampSave}
          </Button>
        </CrampFields>
        <p>
          <A href="/">{strings.cancel}</A>
        </p>
      </form>
    </Page>
  );
}

type Shown = Array<Pick<Insight, 'code' | 'title' | 'explanation'> & { action?: string }>;

export function CheckinScreen() {
  const { profile } = useStore(app);
  const { query } = useRoute();
  const preset = query.get('cramps');
  const [form, setForm] = useState<CheckinForm>(() => ({
    ...checkinFromData({}),
    cramps_last_night: preset === 'some' || preset === 'none' ? preset : 'unsaid',
  }));
  const [error, setError] = useState<ApiError | null>(null);
  const [failedKey, setFailedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [urgent, setUrgent] = useState<Shown | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    if (busy) return;
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
    navigate('/');
  }

  if (savedNote) {
    return (
      <Page title={strings.titles.checkin}>
        <UrgentBanner insights={urgent ?? []} />
        <p class="saved-note">{savedNote}</p>
        <A href="/" class="btn btn-secondary">
          {strings.backToToday}
        </A>
      </Page>
    );
  }

  const errors: FieldErrors = error?.fields ?? {};
  return (
    <Page title={strings.titles.checkin} intro={strings.checkin.intro}>
      {urgent && <UrgentBanner insights={urgent} />}
      <form onSubmit={save} noValidate>
        <FormError error={error} shownFields={Object.keys(checkinToBody(form))} />
        <CheckinFields value={form} onChange={setForm} errors={errors} />
        <Button type="submit" kind="primary" class="btn-huge" testid="save-checkin" busy={busy}>
          {strings.checkin.submit}
        </Button>
        <p>
          <A href="/">{strings.cancel}</A>
        </p>
      </form>
    </Page>
  );
}
