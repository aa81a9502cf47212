// More (the menu), Profile (settings, export, account deletion).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { PressureClass, Profile as ProfileData, Theme } from '../api/types';
import { countryOptions, fetchCountries, type Country } from '../logic/emergency';
import { deviceTimeZone, isValidTimeZone } from '../logic/time';
import { accountDeletionProblem, deleteAccount, saveProfile, signOut } from '../session';
import { app, toast } from '../state';
import { chooseTheme, themeChoice } from '../theme';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Choice, FormError, Select, TextField, type FieldErrors } from '../ui/form';
import { TimeZonePicker } from '../ui/TimeZonePicker';
import { useSubmit } from '../ui/useSubmit';
import { A, Confirm, Page } from '../ui/widgets';
import { TwoFactorSection } from './TwoFactor';
import { LanguagePicker } from '../ui/LanguagePicker';

const P = strings.profile;

export function More() {
  const { queue } = useStore(app);
  return (
    <Page title={strings.titles.more} intro={strings.more.intro}>
      <ul class="menu">
        {/* First: the list a doctor asks for ("what do you take?") is about the patient, not one day's diary. */}
        <li>
          <A href="/medicines" class="menu-link" testid="more-medicines">
            {strings.more.medicines}
          </A>
        </li>
        <li>
          <A href="/sharing" class="menu-link">
            {strings.more.sharing}
          </A>
        </li>
        <li>
          <A href="/profile" class="menu-link">
            {strings.more.profile}
          </A>
        </li>
        <li>
          <A href="/profile#export" class="menu-link">
            {strings.more.export}
          </A>
        </li>
        <li>
          <A href="/profile#delete" class="menu-link">
            {strings.more.deleteAccount}
          </A>
        </li>
      </ul>
      <SignOut pending={queue.length} />
    </Page>
  );
}

function SignOut({ pending }: { pending: number }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const go = async () => {
    setBusy(true);
    await signOut();
  };
  if (confirming) {
    return (
      <Confirm
        question={`${strings.sync.waiting(pending)}. ${strings.sync.confirmDiscard}`}
        yes={strings.auth.signOut}
        no={strings.cancel}
        danger
        onYes={go}
        onNo={() => setConfirming(false)}
      />
    );
  }
  return (
    <Button kind="secondary" busy={busy} onClick={() => (pending ? setConfirming(true) : void go())} testid="sign-out">
      {busy ? strings.auth.signingOut : strings.auth.signOut}
    </Button>
  );
}

const COMPRESSION: Array<{ value: '' | PressureClass; label: string }> = [
  { value: '', label: P.noCompression },
  ...(['15-20', '20-30', '30-40', '40-50'] as PressureClass[]).map((v) => ({ value: v, label: strings.pressure[v] })),
];

export function Profile() {
  const { profile, queue } = useStore(app);
  if (!profile) {
    return (
      <Page title={strings.titles.profile}>
        <p>{strings.errors.offlineNoSave}</p>
        <ExportAndDelete />
        <SignOut pending={queue.length} />
      </Page>
    );
  }
  return (
    <Page title={strings.titles.profile} intro={P.intro}>
      <p class="hint">{P.email(profile.email)}</p>
      <ThemeChoice profile={profile} />
      <LanguagePicker saveToAccount />
      <ProfileForm profile={profile} />
      <TwoFactorSection />
      <ExportAndDelete />
      <SignOut pending={queue.length} />
    </Page>
  );
}

const THEME_OPTIONS: Array<{ value: Theme; label: string }> = [
  { value: 'auto', label: P.themeAuto },
  { value: 'light', label: P.themeLight },
  { value: 'dark', label: P.themeDark },
];

/**
 * The screen colours, apart from the night window (which is clinical): applied at the tap, with no Save
 * button, and kept on the phone when there is no connection.
 */
function ThemeChoice({ profile }: { profile: ProfileData }) {
  const choose = async (theme: Theme) => {
    const saved = await chooseTheme(theme);
    toast(saved ? P.themeSaved : P.themeSavedLater);
  };
  return (
    <Choice
      legend={P.theme}
      name="theme"
      hint={P.themeHint}
      options={THEME_OPTIONS}
      value={themeChoice(profile)}
      onValue={(theme) => void choose(theme)}
      columns={1}
      testid="theme"
    />
  );
}

function ProfileForm({ profile }: { profile: ProfileData }) {
  const [f, setF] = useState({
    display_name: profile.display_name ?? '',
    timezone: profile.timezone,
    night_start: profile.night_start?.slice(0, 5) ?? '22:00',
    night_end: profile.night_end?.slice(0, 5) ?? '07:00',
    quiet_start: profile.quiet_start?.slice(0, 5) ?? '',
    quiet_end: profile.quiet_end?.slice(0, 5) ?? '',
    fluid_target_ml: String(profile.fluid_target_ml ?? 2000),
    compression_class: (profile.compression_class ?? '') as '' | PressureClass,
    takes_diuretics: profile.takes_diuretics,
    previous_dvt: profile.previous_dvt,
    country: profile.country ?? '',
    date_of_birth: profile.date_of_birth ?? '',
  });
  const countries = useCountries(profile.timezone);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const device = deviceTimeZone();

  const save = async (e: Event) => {
    e.preventDefault();
    if (!isValidTimeZone(f.timezone)) {
      setError(new ApiError('validation', 400, { timezone: [`${f.timezone}?`] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await saveProfile({
        display_name: f.display_name,
        timezone: f.timezone,
        night_start: f.night_start,
        night_end: f.night_end,
        quiet_start: f.quiet_start || null,
        quiet_end: f.quiet_end || null,
        fluid_target_ml: Number(f.fluid_target_ml),
        compression_class: f.compression_class || null,
        takes_diuretics: f.takes_diuretics,
        previous_dvt: f.previous_dvt,
        country: f.country || null,
        date_of_birth: f.date_of_birth || null,
      });
      toast(strings.saved.profile);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <form onSubmit={save} noValidate aria-label={strings.titles.profile}>
      <FormError error={error} shownFields={Object.keys(f)} />
      <TextField label={P.displayName} name="display_name" value={f.display_name} onValue={(display_name) => set({ display_name })} errors={errors} autocomplete="name" />
      <TimeZonePicker label={P.timezone} name="timezone" value={f.timezone} onValue={(timezone) => set({ timezone })} errors={errors} testid="timezone" />
      {f.timezone !== device && (
        <Button kind="link" onClick={() => set({ timezone: device })}>
          {P.useDeviceZone(device)}
        </Button>
      )}
      <fieldset class="group">
        <legend>{P.night}</legend>
        <p class="hint">{P.nightHint}</p>
        <TextField label={P.nightStart} name="night_start" type="time" value={f.night_start} onValue={(night_start) => set({ night_start })} errors={errors} />
        <TextField label={P.nightEnd} name="night_end" type="time" value={f.night_end} onValue={(night_end) => set({ night_end })} errors={errors} />
      </fieldset>
      <fieldset class="group">
        <legend>{P.quiet}</legend>
        <p class="hint">{P.quietHint}</p>
        <TextField label={P.quietStart} name="quiet_start" type="time" value={f.quiet_start} onValue={(quiet_start) => set({ quiet_start })} errors={errors} />
        <TextField label={P.quietEnd} name="quiet_end" type="time" value={f.quiet_end} onValue={(quiet_end) => set({ quiet_end })} errors={errors} />
      </fieldset>
      <TextField label={P.fluidTarget} name="fluid_target_ml" type="number" inputMode="numeric" min={500} max={6000} step={50} value={f.fluid_target_ml} onValue={(fluid_target_ml) => set({ fluid_target_ml })} errors={errors} />
      <Select label={P.compressionClass} name="compression_class" value={f.compression_class} options={COMPRESSION} onValue={(compression_class) => set({ compression_class })} errors={errors} />
      <YesNo legend={P.diureticsQuestion} name="takes_diuretics" hint={P.notSaidHint} value={f.takes_diuretics} onValue={(takes_diuretics) => set({ takes_diuretics })} errors={errors} />
      <p class="hint">
        {strings.medicines.seeListHint} <A href="/medicines">{strings.medicines.seeList}</A>
      </p>
      <YesNo legend={P.previousDvtQuestion} name="previous_dvt" hint={P.notSaidHint} value={f.previous_dvt} onValue={(previous_dvt) => set({ previous_dvt })} errors={errors} />
      <Select
        label={P.country}
        name="country"
        hint={countryHint(countries, f.country)}
        value={f.country}
        options={countryOptions(countries ?? [], f.country || null)}
        onValue={(country) => set({ country })}
        errors={errors}
        testid="country"
      />
      <TextField
        label={P.dateOfBirth}
        name="date_of_birth"
        type="date"
        min="1900-01-01"
        value={f.date_of_birth}
        onValue={(date_of_birth) => set({ date_of_birth })}
        hint={`${P.dateOfBirthHint}${f.date_of_birth ? '' : ` ${P.dateOfBirthNotSaid}`}`}
        errors={errors}
        autocomplete="bday"
        testid="date-of-birth"
      />
      {/* A phone's date picker often has no way back to empty: "not said" is one tap. */}
      {f.date_of_birth && (
        <Button kind="link" onClick={() => set({ date_of_birth: '' })} testid="clear-date-of-birth">
          {P.dateOfBirthClear}
        </Button>
      )}
      <Button type="submit" kind="primary" busy={busy} testid="save-profile">
        {P.saveProfile}
      </Button>
    </form>
  );
}

const YES_NO: Array<{ value: 'yes' | 'no'; label: string }> = [
  { value: 'yes', label: strings.yes },
  { value: 'no', label: strings.no },
];

/** A yes/no question whose third answer is "not said" (null): nothing chosen, or cleared. */
export function YesNo(p: {
  legend: string;
  name: string;
  value: boolean | null;
  onValue: (value: boolean | null) => void;
  hint?: string;
  errors?: FieldErrors;
}) {
  return (
    <Choice
      legend={p.legend}
      name={p.name}
      hint={p.hint}
      options={YES_NO}
      value={p.value === null ? null : p.value ? 'yes' : 'no'}
      onValue={(v) => p.onValue(v === 'yes')}
      clear={{ label: strings.clearAnswer, onClear: () => p.onValue(null) }}
      errors={p.errors}
      testid={p.name}
    />
  );
}

/** The countries the server accepts; null until they come (offline: only the chosen one is listed). */
function useCountries(timezone: string): Country[] | null {
  const [countries, setCountries] = useState<Country[] | null>(null);
  useEffect(() => {
    fetchCountries(timezone)
      .then((c) => setCountries(c.countries))
      .catch(() => setCountries(null));
  }, []);
  return countries;
}

function countryHint(countries: Country[] | null, code: string): string {
  const known = countries?.find((c) => c.code === code);
  if (!code || !known) return P.countryHint;
  return `${P.countryHint} ${known.emergency_number ? P.countryNumber(known.emergency_number) : P.countryNoNumber}`;
}

/** The visit summary's periods, in days (the server takes 7 to 365). */
const REPORT_PERIODS: Array<{ value: string; label: string }> = [
  { value: '28', label: P.reportPeriod4Weeks },
  { value: '84', label: P.reportPeriod12Weeks },
  { value: '182', label: P.reportPeriod6Months },
  { value: '365', label: P.reportPeriodYear },
];

function ExportAndDelete() {
  const [confirming, setConfirming] = useState(false);
  const [reportDays, setReportDays] = useState('84');
  return (
    <>
      <section id="export" class="card" aria-labelledby="export-title">
        <h2 id="export-title">{P.export}</h2>
        <p>{P.exportIntro}</p>
        <p>
          <a class="btn btn-secondary" href="/api/v1/export/?format=json" download data-testid="export-json">
            {P.exportJson}
          </a>
        </p>
        <p>
          <a class="btn btn-secondary" href="/api/v1/export/?format=csv" download data-testid="export-csv">
            {P.exportCsv}
          </a>
        </p>
        <h3 id="report-title">{P.report}</h3>
        <p>{P.reportIntro}</p>
        <Select
          label={P.reportPeriod}
          name="report_days"
          value={reportDays}
          options={REPORT_PERIODS}
          onValue={setReportDays}
          testid="report-period"
        />
        <p>
          <a
            class="btn btn-secondary"
            href={`/api/v1/export/?format=pdf&days=${reportDays}`}
            download
            data-testid="export-pdf"
          >
            {P.reportDownload}
          </a>
        </p>
      </section>
      <section id="delete" class="card danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">{P.deleteAccount}</h2>
        <p>{P.deleteIntro}</p>
        {confirming ? (
          <DeleteConfirm onCancel={() => setConfirming(false)} />
        ) : (
          <Button kind="danger" onClick={() => setConfirming(true)} testid="delete-account">
            {P.deleteStart}
          </Button>
        )}
      </section>
    </>
  );
}

/**
 * The last step before erasing: the password, and the code when two-factor sign-in is on. A refused try
 * erases nothing and shows the server's word next to its field.
 */
function DeleteConfirm({ onCancel }: { onCancel: () => void }) {
  const { profile } = useStore(app);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // The server's word wins over the stored profile (two-factor turned on on another phone, or no
  // profile stored while offline): once it asks for a code, the field stays.
  const [asked, setAsked] = useState(false);
  const codeShown = profile?.two_factor_enabled === true || asked;
  const { busy, error, errors, setError, run } = useSubmit();
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => box.current?.querySelector('input')?.focus(), []);
  // A refused field gets the focus, so a screen reader reads its label and message at once.
  useEffect(() => {
    const field = errors.password ? 'password' : errors.otp ? 'otp' : null;
    if (field) box.current?.querySelector<HTMLInputElement>(`input[name="${field}"]`)?.focus();
  }, [error]);

  const submit = (e: Event) => {
    e.preventDefault();
    const otp = codeShown ? code : null;
    const problem = accountDeletionProblem(password, otp);
    if (problem) {
      setError(problem);
      return;
    }
    void run(async () => {
      try {
        await deleteAccount(password, otp);
      } catch (err) {
        if (err instanceof ApiError && err.fields.otp?.length) {
          // A code is good once: the next try needs the next one.
          setAsked(true);
          setCode('');
        }
        throw err;
      }
    });
  };

  return (
    <form onSubmit={submit} noValidate ref={box} aria-label={P.deleteAccount} data-testid="delete-form">
      <p>
        <strong>{P.deleteConfirm}</strong>
      </p>
      <p>{codeShown ? P.deletePasswordAndCodeIntro : P.deletePasswordIntro}</p>
      <FormError error={error} shownFields={codeShown ? ['password', 'otp'] : ['password']} />
      <TextField
        label={P.deletePassword}
        name="password"
        type="password"
        autocomplete="current-password"
        value={password}
        onValue={setPassword}
        errors={errors}
        required
        testid="delete-password"
      />
      {codeShown && (
        <TextField
          label={P.deleteCode}
          name="otp"
          value={code}
          onValue={setCode}
          inputMode="numeric"
          autocomplete="one-time-code"
          spellcheck={false}
          hint={P.deleteCodeHint}
          errors={errors}
          required
          testid="delete-otp"
        />
      )}
      <div class="row wrap">
        <Button type="submit" kind="danger" busy={busy} testid="delete-confirm">
          {busy ? P.deleting : P.deleteYes}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {P.deleteNo}
        </Button>
      </div>
    </form>
  );
}
