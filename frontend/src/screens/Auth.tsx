// Sign in, create an account (a patient, with this phone's time zone and the country guessed from it), reset a password
// (/reset-password asks for the email; /reset-password?uid=&token= sets the new password).

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { countryOptions, fetchCountries, type Country } from '../logic/emergency';
import { normalizeOtp, otpStep, type OtpStep } from '../logic/otp';
import { deviceTimeZone } from '../logic/time';
import { confirmPasswordReset, requestPasswordReset, signIn, signUp } from '../session';
import { useRoute } from '../router';
import { app } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, FormError, Select, TextField } from '../ui/form';
import { LanguagePicker } from '../ui/LanguagePicker';
import { useSubmit } from '../ui/useSubmit';
import { A, Page } from '../ui/widgets';

const AU = strings.auth;

/** What Crampwise is, in plain lines, before anyone signs in: the first screen should not be bare. */
function About() {
  return (
    <section class="about" aria-label={AU.aboutLabel} data-testid="about">
      {AU.about.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </section>
  );
}

export function SignIn() {
  const { notice } = useStore(app);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  // Two-factor sign-in: the code field appears once the server asks for it (400 with an `otp` field).
  const [step, setStep] = useState<OtpStep>({ needed: false, message: null, invalid: false });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const otpBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (step.needed) otpBox.current?.querySelector('input')?.focus();
  }, [step.needed, step.message]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const sent = step.needed ? otp : null;
    try {
      // The app frame moves on (to `next` or Today) as soon as someone is signed in.
      await signIn(email.trim(), password, sent);
    } catch (err) {
      const next = otpStep(err, Boolean(sent && normalizeOtp(sent)), step.needed);
      setStep(next);
      if (next.message && !next.invalid) {
        // Asked for a code (not a mistake): the prompt under the field says it, no alarm.
        setError(null);
      } else {
        setError(err);
      }
      if (next.invalid) setOtp('');
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <Page title={strings.titles.signin}>
      <LanguagePicker />
      <About />
      {notice && (
        <p class="note" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <FormError error={error} shownFields={['email', 'password', 'otp']} />
        <TextField label={AU.email} name="email" type="email" autocomplete="username" inputMode="email" value={email} onValue={setEmail} errors={errors} required />
        <TextField label={AU.password} name="password" type="password" autocomplete="current-password" value={password} onValue={setPassword} errors={errors} required />
        {step.needed && (
          <div ref={otpBox}>
            <TextField
              label={AU.otp}
              name="otp"
              value={otp}
              onValue={setOtp}
              inputMode="numeric"
              autocomplete="one-time-code"
              hint={step.invalid ? undefined : (step.message ?? AU.otpHint)}
              errors={errors}
              required
              testid="otp-input"
            />
          </div>
        )}
        <Button type="submit" kind="primary" busy={busy} class="btn-wide">
          {busy ? AU.signingIn : AU.signIn}
        </Button>
      </form>
      <p>
        <A href="/reset-password">{AU.forgot}</A>
      </p>
      <p>
        <A href="/signup">{AU.noAccount}</A>
      </p>
    </Page>
  );
}

export function SignUp() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  // undefined until the server's list comes: then left out, and the server guesses from the zone itself.
  const [country, setCountry] = useState<string | undefined>(undefined);
  const [countries, setCountries] = useState<Country[]>([]);
  useEffect(() => {
    fetchCountries(deviceTimeZone())
      .then((c) => {
        setCountries(c.countries);
        setCountry((chosen) => chosen ?? c.guess ?? '');
      })
      .catch(() => undefined);
  }, []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // '' is the patient's "not said" (null), never the guess.
      const said = country === undefined ? {} : { country: country || null };
      await signUp({ email: email.trim(), password, display_name: name.trim(), ...said });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <Page title={strings.titles.signup}>
      <LanguagePicker />
      <About />
      <form onSubmit={submit} noValidate>
        <FormError error={error} shownFields={['email', 'password', 'display_name', 'country']} />
        <TextField label={AU.displayName} name="display_name" autocomplete="name" value={name} onValue={setName} errors={errors} />
        <TextField label={AU.email} name="email" type="email" autocomplete="email" inputMode="email" value={email} onValue={setEmail} errors={errors} required />
        <TextField label={AU.password} name="password" type="password" autocomplete="new-password" value={password} onValue={setPassword} errors={errors} hint={AU.passwordHint} required />
        {country !== undefined && (
          <Select
            label={AU.country}
            name="country"
            hint={AU.countryHint}
            value={country}
            options={countryOptions(countries, country || null)}
            onValue={setCountry}
            errors={errors}
            testid="signup-country"
          />
        )}
        <Button type="submit" kind="primary" busy={busy} class="btn-wide">
          {busy ? AU.signingUp : AU.signUp}
        </Button>
      </form>
      <p>
        <A href="/signin">{AU.haveAccount}</A>
      </p>
    </Page>
  );
}

export function ResetPassword() {
  const { query } = useRoute();
  const uid = query.get('uid');
  const token = query.get('token');
  return uid && token ? <ResetConfirm uid={uid} token={token} /> : <ResetRequest />;
}

function ResetRequest() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, errors, run } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await requestPasswordReset(email.trim());
      setSent(true);
    });
  };
  return (
    <Page title={strings.titles.reset} intro={AU.resetIntro}>
      {sent ? (
        <p class="note" role="status">
          {AU.resetSent}
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={error} shownFields={['email']} />
          <TextField label={AU.email} name="email" type="email" autocomplete="email" inputMode="email" value={email} onValue={setEmail} errors={errors} required />
          <Button type="submit" kind="primary" busy={busy} class="btn-wide">
            {AU.sendReset}
          </Button>
        </form>
      )}
      <p>
        <A href="/signin">{AU.signIn}</A>
      </p>
    </Page>
  );
}

function ResetConfirm({ uid, token }: { uid: string; token: string }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, errors, run } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await confirmPasswordReset(uid, token, password);
      setDone(true);
    });
  };
  return (
    <Page title={AU.chooseNew}>
      {done ? (
        <>
          <p class="note" role="status">
            {AU.resetDone}
          </p>
          <A href="/signin" class="btn btn-primary">
            {AU.signIn}
          </A>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={error} shownFields={['new_password']} />
          <TextField label={AU.newPassword} name="new_password" type="password" autocomplete="new-password" value={password} onValue={setPassword} errors={errors} hint={AU.passwordHint} required />
          <Button type="submit" kind="primary" busy={busy} class="btn-wide">
            {AU.setPassword}
          </Button>
        </form>
      )}
    </Page>
  );
}
