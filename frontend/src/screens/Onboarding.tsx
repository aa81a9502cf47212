// The first run after sign-up: what Crampwise does and does not do, the time zone, the country, what the
// advice depends on (diuretics, a previous DVT, stockings), and suggested reminders that one tap turns
// on. Every step can be skipped: "Skip for now" finishes it, and only what was answered is stored.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Channel, PressureClass, Profile, ReminderKind } from '../api/types';
import { callLinks, countryOptions, fetchCountries, type Country } from '../logic/emergency';
import { deviceTimeZone } from '../logic/time';
import { turnOnPush } from '../push/subscribe';
import { saveProfile } from '../session';
import { strings } from '../strings';
import { Button, Choice, FormError, Checkbox, Select } from '../ui/form';
import { TimeZonePicker, zoneName } from '../ui/TimeZonePicker';
import { CallLinks, Page } from '../ui/widgets';
import { YesNo } from './Profile';

const O = strings.onboarding;
const STEPS = ['about', 'zone', 'country', 'health', 'reminders'] as const;
type Step = (typeof STEPS)[number];

interface Suggestion {
  kind: ReminderKind;
  time: string;
}

/** The suggested reminders: stockings on and off only when stockings are prescribed. */
export function suggestedReminders(compression: PressureClass | null): Suggestion[] {
  const stockings: Suggestion[] = compression
    ? [
        { kind: 'compression_on', time: '08:00' },
        { kind: 'compression_off', time: '21:00' },
      ]
    : [];
  return [...stockings, { kind: 'morning_checkin', time: '08:30' }, { kind: 'stretch', time: '21:30' }];
}

/** The profile fields of `answers` that differ from the profile: nothing unchanged is sent. */
function changes(profile: Profile, answers: Partial<Profile>): Partial<Profile> {
  return Object.fromEntries(
    Object.entries(answers).filter(([key, value]) => profile[key as keyof Profile] !== value),
  ) as Partial<Profile>;
}

export function Onboarding({ profile, onDone }: { profile: Profile; onDone: () => void }) {
  const [step, setStep] = useState<Step>('about');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const index = STEPS.indexOf(step);

  const go = (to: Step) => {
    setError(null);
    setStep(to);
  };
  /** Saves this step's answers (only what changed), then the next step. */
  const next = async (answers: Partial<Profile> = {}) => {
    const changed = changes(profile, answers);
    if (Object.keys(changed).length) {
      setBusy(true);
      setError(null);
      try {
        await saveProfile(changed);
      } catch (err) {
        setError(err);
        return;
      } finally {
        setBusy(false);
      }
    }
    go(STEPS[index + 1]);
  };
  /** Finishes (or skips) the first run. Offline, it is left for the next start, and the app opens anyway. */
  const finish = async () => {
    setBusy(true);
    try {
      await saveProfile({ onboarded: true });
    } catch (err) {
      if (!(err instanceof ApiError && err.kind === 'offline')) {
        setError(err);
        setBusy(false);
        return;
      }
    }
    setBusy(false);
    onDone();
  };

  // `final`: the reminders have an answer (on, or push refused): its own buttons end the first run.
  const frame = (title: string, body: preact.ComponentChildren, nextButton: preact.ComponentChildren, final = false) => (
    <Page
      title={title}
      testid={`onboarding-${step}`}
      lead={
        <p class="onboarding-step" data-testid="onboarding-progress">
          {O.step(index + 1, STEPS.length)}
        </p>
      }
    >
      {body}
      <FormError error={error} />
      <div class="onboarding-actions">
        {nextButton}
        {index > 0 && !final && (
          <Button onClick={() => go(STEPS[index - 1])} disabled={busy} testid="onboarding-back">
            {O.back}
          </Button>
        )}
        {!final && (
          <Button kind="link" onClick={() => void finish()} disabled={busy} testid="onboarding-skip">
            {O.skip}
          </Button>
        )}
      </div>
      {!final && <p class="hint">{O.skipHint}</p>}
    </Page>
  );
  const nextButton = (answers?: Partial<Profile>) => (
    <Button kind="primary" busy={busy} onClick={() => void next(answers)} testid="onboarding-next" class="btn-wide">
      {busy ? O.saving : O.next}
    </Button>
  );

  if (step === 'about') {
    return frame(
      O.aboutTitle,
      <>
        <p>{O.aboutDoes}</p>
        <p>{O.aboutSupports}</p>
        <p>{O.aboutNotEmergency}</p>
        <section class="card onboarding-emergency" aria-labelledby="onboarding-emergency-title">
          <h2 id="onboarding-emergency-title">{O.emergencyTitle}</h2>
          <p>{O.emergencyText}</p>
          <CallLinks links={callLinks(profile)} quiet />
        </section>
      </>,
      nextButton(),
    );
  }
  if (step === 'zone') return <ZoneStep profile={profile} frame={frame} nextButton={nextButton} />;
  if (step === 'country') return <CountryStep profile={profile} frame={frame} nextButton={nextButton} />;
  if (step === 'health') return <HealthStep profile={profile} frame={frame} nextButton={nextButton} />;
  return <RemindersStep profile={profile} frame={frame} finish={finish} busy={busy} />;
}

type Frame = (title: string, body: preact.ComponentChildren, next: preact.ComponentChildren, final?: boolean) => preact.JSX.Element;
type NextButton = (answers?: Partial<Profile>) => preact.JSX.Element;

function ZoneStep({ profile, frame, nextButton }: { profile: Profile; frame: Frame; nextButton: NextButton }) {
  const device = deviceTimeZone();
  const [zone, setZone] = useState(profile.timezone || device);
  return frame(
    O.zoneTitle,
    <>
      <p class="intro">{O.zoneIntro}</p>
      <p>{O.zoneDetected(zoneName(device))}</p>
      <TimeZonePicker label={O.zoneLabel} name="timezone" value={zone} onValue={setZone} testid="zone-picker" />
      {zone !== device && (
        <Button kind="link" onClick={() => setZone(device)}>
          {strings.profile.useDeviceZoneFull(zoneName(device))}
        </Button>
      )}
    </>,
    nextButton({ timezone: zone }),
  );
}

function CountryStep({ profile, frame, nextButton }: { profile: Profile; frame: Frame; nextButton: NextButton }) {
  const [countries, setCountries] = useState<Country[]>([]);
  const [country, setCountry] = useState(profile.country ?? '');
  useEffect(() => {
    fetchCountries(profile.timezone)
      .then((c) => setCountries(c.countries))
      .catch(() => undefined);
  }, []);
  const known = countries.find((c) => c.code === country);
  const hint = known?.emergency_number ? strings.profile.countryNumber(known.emergency_number) : strings.profile.countryHint;
  return frame(
    O.countryTitle,
    <>
      <p class="intro">{O.countryIntro}</p>
      <Select
        label={strings.profile.country}
        name="country"
        hint={hint}
        value={country}
        options={countryOptions(countries, country || null)}
        onValue={setCountry}
        testid="country-select"
      />
    </>,
    nextButton({ country: country || null }),
  );
}

const STOCKINGS: Array<{ value: PressureClass | 'none'; label: string }> = [
  ...(['15-20', '20-30', '30-40', '40-50'] as PressureClass[]).map((v) => ({ value: v, label: strings.pressure[v] })),
  { value: 'none', label: strings.profile.noCompression },
];

function HealthStep({ profile, frame, nextButton }: { profile: Profile; frame: Frame; nextButton: NextButton }) {
  const [diuretics, setDiuretics] = useState<boolean | null>(profile.takes_diuretics);
  const [dvt, setDvt] = useState<boolean | null>(profile.previous_dvt);
  // The profile keeps one field for the class: none prescribed and not said are both null there.
  const [stockings, setStockings] = useState<PressureClass | 'none' | null>(profile.compression_class);
  return frame(
    O.healthTitle,
    <>
      <p class="intro">{O.healthIntro}</p>
      <YesNo legend={strings.profile.diureticsQuestion} name="takes_diuretics" hint={O.diureticsHint} value={diuretics} onValue={setDiuretics} />
      <YesNo legend={strings.profile.previousDvtQuestion} name="previous_dvt" hint={O.previousDvtHint} value={dvt} onValue={setDvt} />
      <Choice
        legend={O.stockingsQuestion}
        name="compression_class"
        hint={O.stockingsHint}
        options={STOCKINGS}
        value={stockings}
        onValue={setStockings}
        clear={{ label: strings.clearAnswer, onClear: () => setStockings(null) }}
        testid="compression_class"
      />
    </>,
    nextButton({
      takes_diuretics: diuretics,
      previous_dvt: dvt,
      compression_class: stockings === 'none' ? null : stockings,
    }),
  );
}

/** An email address that may break after its "@" on a narrow screen, never inside a word. */
function Address({ email }: { email: string }) {
  const at = email.indexOf('@');
  if (at < 0) return <>{email}</>;
  return (
    <span class="address">
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </span>
  );
}

type Outcome =
  | { state: 'idle' }
  | { state: 'push-failed'; reason: string }
  | { state: 'on'; channel: Channel; count: number };

function RemindersStep({ profile, frame, finish, busy }: { profile: Profile; frame: Frame; finish: () => Promise<void>; busy: boolean }) {
  const R = strings.reminders;
  const suggested = suggestedReminders(profile.compression_class);
  const [chosen, setChosen] = useState<ReminderKind[]>(suggested.map((s) => s.kind));
  const [working, setWorking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [error, setError] = useState<unknown>(null);
  // Kinds already created: a second tap after a failure does not make them twice.
  const [created, setCreated] = useState<ReminderKind[]>([]);

  const create = async (channel: Channel) => {
    const made = [...created];
    try {
      for (const s of suggested.filter((x) => chosen.includes(x.kind) && !made.includes(x.kind))) {
        await api('/api/v1/reminders/', {
          method: 'POST',
          body: { kind: s.kind, local_time: s.time, weekdays: [0, 1, 2, 3, 4, 5, 6], channels: [channel], enabled: true, message: '' },
        });
        made.push(s.kind);
      }
      setOutcome({ state: 'on', channel, count: made.length });
    } catch (err) {
      setError(err);
    } finally {
      setCreated(made);
    }
  };
  /** The one tap: notification permission is asked here and only here, then the reminders are made. */
  const turnOn = async () => {
    setWorking(true);
    setError(null);
    try {
      const push = await turnOnPush();
      if (push.on) await create('push');
      else setOutcome({ state: 'push-failed', reason: push.reason });
    } finally {
      setWorking(false);
    }
  };
  const byEmail = async () => {
    setWorking(true);
    setError(null);
    try {
      await create('email');
    } finally {
      setWorking(false);
    }
  };

  const body =
    outcome.state === 'on' ? (
      <p class="note" role="status" data-testid="onboarding-reminders-on">
        {outcome.channel === 'push' ? (
          O.pushOn(outcome.count)
        ) : (
          <>
            {O.emailOn(outcome.count)} <Address email={profile.email} />.
          </>
        )}
      </p>
    ) : (
      <>
        <p class="intro">{O.remindersIntro}</p>
        <fieldset class="group" disabled={working || outcome.state === 'push-failed'}>
          <legend class="visually-hidden">{O.remindersTitle}</legend>
          {suggested.map((s) => (
            <Checkbox
              key={s.kind}
              label={O.reminderLine(R.kinds[s.kind], s.time)}
              name={`suggest-${s.kind}`}
              checked={chosen.includes(s.kind)}
              onValue={(on) => setChosen(on ? [...chosen, s.kind] : chosen.filter((k) => k !== s.kind))}
              testid={`suggest-${s.kind}`}
            />
          ))}
        </fieldset>
        <p class="hint">{O.remindersZone(zoneName(profile.timezone))}</p>
        {outcome.state === 'push-failed' && (
          <div class="note warn" role="alert" data-testid="onboarding-push-failed">
            <p>{strings.push.couldNotTurnOn(outcome.reason)}</p>
          </div>
        )}
        <FormError error={error} />
      </>
    );

  let action: preact.ComponentChildren;
  if (outcome.state === 'on') {
    action = (
      <Button kind="primary" class="btn-wide" busy={busy} onClick={() => void finish()} testid="onboarding-done">
        {O.goToToday}
      </Button>
    );
  } else if (outcome.state === 'push-failed') {
    action = (
      <>
        <Button kind="primary" class="btn-wide" busy={working} onClick={() => void byEmail()} testid="onboarding-email-instead">
          {working ? (
            O.turningOn
          ) : (
            // One flex item: the button lays out its children side by side.
            <span>
              {O.emailInstead} <Address email={profile.email} />
            </span>
          )}
        </Button>
        <Button onClick={() => void finish()} disabled={working || busy} testid="onboarding-not-now">
          {O.notNow}
        </Button>
      </>
    );
  } else {
    action = (
      <>
        {chosen.length === 0 && <p class="hint">{O.noneChosen}</p>}
        <p class="hint">{O.turnOnHint}</p>
        <Button kind="primary" class="btn-wide" busy={working} disabled={chosen.length === 0} onClick={() => void turnOn()} testid="onboarding-turn-on">
          {working ? O.turningOn : O.turnOn}
        </Button>
      </>
    );
  }
  return frame(O.remindersTitle, body, action, outcome.state !== 'idle');
}
