// Two-factor sign-in in Profile (both roles): turn it on (setup → QR code and the key in blocks of 4 →
// a first code to confirm) and off (with a current code). The QR encoder is loaded only when needed.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { TwoFactorSetup, TwoFactorState } from '../api/types';
import { groupSecret, normalizeOtp, qrCode } from '../logic/otp';
import { setTwoFactor } from '../session';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, FormError, TextField } from '../ui/form';
import { useSubmit } from '../ui/useSubmit';

const TF = strings.twoFactor;

function needCodeError(): ApiError {
  return new ApiError('validation', 400, { otp: [TF.needCode] });
}

/**
 * The two code forms (turn on, turn off): nothing is sent without a code, and a code the server turned
 * down is cleared for the next try.
 */
function useCodeForm(path: string, onState: (state: TwoFactorState) => void) {
  const [code, setCode] = useState('');
  const { busy, error, errors, setError, run } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    const otp = normalizeOtp(code);
    if (!otp) {
      setError(needCodeError());
      return;
    }
    void run(
      async () => onState(await api<TwoFactorState>(path, { method: 'POST', body: { otp } })),
      () => setCode(''),
    );
  };
  return { code, setCode, busy, error, errors, submit };
}

export function TwoFactorSection() {
  const { profile } = useStore(app);
  const enabled = profile?.two_factor_enabled === true;
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [turningOff, setTurningOff] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  if (!profile) return null;

  const start = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setSetup(await api<TwoFactorSetup>('/api/v1/auth/2fa/setup/', { method: 'POST' }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const finish = async (on: boolean) => {
    await setTwoFactor(on);
    setSetup(null);
    setTurningOff(false);
    const text = on ? TF.enabled : TF.disabled;
    setDone(text);
    toast(text);
  };

  return (
    <section id="two-factor" class="card" aria-labelledby="two-factor-title" data-testid="two-factor">
      <h2 id="two-factor-title">{TF.title}</h2>
      <p>{TF.intro}</p>
      <p class="status-line" data-testid="twofa-status" data-enabled={enabled ? 'true' : 'false'}>
        <span class={`badge ${enabled ? 'badge-on' : 'badge-off'}`}>
          <span aria-hidden="true">{enabled ? '✓ ' : '○ '}</span>
          {enabled ? TF.statusOn : TF.statusOff}
        </span>{' '}
        {TF.status(enabled)}
      </p>
      {done && (
        <p class="note" role="status">
          {done}
        </p>
      )}
      {!setup && error ? <FormError error={error} /> : null}
      {!enabled && !setup && (
        <Button kind="primary" busy={busy} onClick={() => void start()} testid="twofa-start">
          {busy ? TF.starting : TF.turnOn}
        </Button>
      )}
      {!enabled && setup && <SetupSteps setup={setup} onDone={() => void finish(true)} onCancel={() => setSetup(null)} />}
      {enabled && !turningOff && (
        <Button
          kind="secondary"
          onClick={() => {
            setDone(null);
            setTurningOff(true);
          }}
          testid="twofa-disable-start"
        >
          {TF.turnOff}
        </Button>
      )}
      {enabled && turningOff && <TurnOff onDone={() => void finish(false)} onCancel={() => setTurningOff(false)} />}
    </section>
  );
}

function SetupSteps({ setup, onDone, onCancel }: { setup: TwoFactorSetup; onDone: () => void; onCancel: () => void }) {
  const [qr, setQr] = useState<{ size: number; path: string } | null>(null);
  const { code, setCode, busy, error, errors, submit } = useCodeForm('/api/v1/auth/2fa/confirm/', (state) => {
    if (state.two_factor_enabled) onDone();
  });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    setQr(null);
    qrCode(setup.otpauth_uri)
      .then((q) => live && setQr(q))
      .catch(() => undefined); // no QR (offline chunk, old browser): the key and the link still work
    box.current?.querySelector<HTMLElement>('h3')?.focus();
    return () => {
      live = false;
    };
  }, [setup.otpauth_uri]);

  return (
    <div class="twofa-setup" ref={box}>
      <h3 tabIndex={-1}>{TF.step1}</h3>
      <div class="twofa-grid">
        {qr && (
          <div class="qr">
            <p>{TF.scan}</p>
            <svg
              role="img"
              aria-label={TF.qrLabel}
              viewBox={`0 0 ${qr.size} ${qr.size}`}
              width={200}
              height={200}
              shape-rendering="crispEdges"
              data-testid="twofa-qr"
            >
              <rect width={qr.size} height={qr.size} fill="#ffffff" />
              <path d={qr.path} fill="#000000" />
            </svg>
          </div>
        )}
        <div>
          <p>{TF.orType}</p>
          <p class="secret" aria-label={`${TF.keyLabel}: ${groupSecret(setup.secret)}`}>
            <code data-testid="twofa-secret">{groupSecret(setup.secret)}</code>
          </p>
          <details>
            <summary>{TF.showUri}</summary>
            <p class="uri">
              <code data-testid="twofa-uri">{setup.otpauth_uri}</code>
            </p>
            <p>
              <a href={setup.otpauth_uri}>{TF.openInApp}</a>
            </p>
          </details>
        </div>
      </div>
      <form onSubmit={submit} noValidate>
        <h3>{TF.step2}</h3>
        <FormError error={error} shownFields={['otp']} />
        <TextField
          label={TF.code}
          name="otp"
          value={code}
          onValue={setCode}
          inputMode="numeric"
          autocomplete="one-time-code"
          hint={TF.codeHint}
          errors={errors}
          required
          testid="twofa-code"
        />
        <div class="row wrap">
          <Button type="submit" kind="primary" busy={busy} testid="twofa-confirm">
            {busy ? TF.confirming : TF.confirm}
          </Button>
          <Button onClick={onCancel}>{TF.cancel}</Button>
        </div>
      </form>
    </div>
  );
}

function TurnOff({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { code, setCode, busy, error, errors, submit } = useCodeForm('/api/v1/auth/2fa/disable/', (state) => {
    if (!state.two_factor_enabled) onDone();
  });
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => box.current?.querySelector('input')?.focus(), []);
  return (
    <form onSubmit={submit} noValidate ref={box} aria-label={TF.turnOff}>
      <p>{TF.turnOffIntro}</p>
      <FormError error={error} shownFields={['otp']} />
      <TextField
        label={TF.code}
        name="otp"
        value={code}
        onValue={setCode}
        inputMode="numeric"
        autocomplete="one-time-code"
        errors={errors}
        required
        testid="twofa-off-code"
      />
      <div class="row wrap">
        <Button type="submit" kind="danger" busy={busy} testid="twofa-disable">
          {TF.confirmOff}
        </Button>
        <Button onClick={onCancel}>{TF.cancel}</Button>
      </div>
    </form>
  );
}
