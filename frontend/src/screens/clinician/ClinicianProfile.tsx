// A clinician's Profile: the name patients see, the time zone, how urgent warnings reach them (push,
// email, at least one; push turned on for this browser), two-factor sign-in, and signing out.

import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Channel, Profile } from '../../api/types';
import { alertChannelsOf, sameChannels, toggleChannel } from '../../logic/alerts';
import { permission } from '../../push/subscribe';
import { usePushOnThisDevice } from '../../push/usePushOnThisDevice';
import { deviceTimeZone, isValidTimeZone } from '../../logic/time';
import { saveProfile, signOut } from '../../session';
import { app, toast } from '../../state';
import { useStore } from '../../store';
import { strings } from '../../strings';
import { Button, Checkbox, FormError, TextField } from '../../ui/form';
import { Page } from '../../ui/widgets';
import { TwoFactorSection } from '../TwoFactor';

const P = strings.profile;

export function ClinicianProfile() {
  const { profile } = useStore(app);
  const [busy, setBusy] = useState(false);
  return (
    <Page title={strings.titles.profile}>
      {profile ? (
        <>
          <p class="hint">{P.email(profile.email)}</p>
          <div class="profile-columns">
            <NameForm profile={profile} />
            <AlertChannels profile={profile} />
            <TwoFactorSection />
          </div>
        </>
      ) : (
        <p>{strings.loading}</p>
      )}
      <Button
        kind="secondary"
        busy={busy}
        onClick={() => {
          setBusy(true);
          void signOut();
        }}
        testid="sign-out"
      >
        {busy ? strings.auth.signingOut : strings.auth.signOut}
      </Button>
    </Page>
  );
}

function NameForm({ profile }: { profile: Profile }) {
  const [name, setName] = useState(profile.display_name ?? '');
  const [zone, setZone] = useState(profile.timezone);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const device = deviceTimeZone();
  const save = async (e: Event) => {
    e.preventDefault();
    if (!isValidTimeZone(zone)) {
      setError(new ApiError('validation', 400, { timezone: [`${zone}?`] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await saveProfile({ display_name: name, timezone: zone });
      toast(strings.saved.profile);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="about-you">
      <h2 id="about-you">{strings.clinician.aboutYou}</h2>
      <FormError error={error} shownFields={['display_name', 'timezone']} />
      <TextField label={strings.clinician.yourName} name="display_name" value={name} onValue={setName} errors={errors} autocomplete="name" hint={strings.clinician.yourNameHint} />
      <TextField label={P.timezone} name="timezone" value={zone} onValue={setZone} errors={errors} />
      {zone !== device && (
        <Button kind="link" onClick={() => setZone(device)}>
          {strings.clinician.useDeviceZone(device)}
        </Button>
      )}
      <Button type="submit" kind="primary" busy={busy} testid="save-profile">
        {strings.save}
      </Button>
    </form>
  );
}

const C = strings.clinician;

function AlertChannels({ profile }: { profile: Profile }) {
  const saved = alertChannelsOf(profile);
  const [channels, setChannels] = useState<Channel[]>(saved);
  const [refused, setRefused] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (channel: Channel, on: boolean) => {
    const next = toggleChannel(channels, channel, on);
    setChannels(next.channels);
    setRefused(next.refused);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await saveProfile({ alert_channels: channels });
      toast(C.channelsSaved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  const problem = refused ?? (errors.alert_channels?.join(' ') || null);
  return (
    <form class="card alert-channels" onSubmit={save} noValidate aria-labelledby="alert-channels-title" data-testid="alert-channels">
      <h2 id="alert-channels-title">{C.alertChannelsTitle}</h2>
      <p class="hint">{C.alertChannelsIntro}</p>
      <FormError error={error} shownFields={['alert_channels']} />
      <fieldset aria-describedby={problem ? 'alert-channels-err' : undefined}>
        <legend class="visually-hidden">{C.alertChannelsTitle}</legend>
        <Checkbox label={C.channelPush} name="alert_push" checked={channels.includes('push')} onValue={(on) => set('push', on)} testid="alert-channel-push" />
        <Checkbox
          label={C.channelEmail(profile.email)}
          name="alert_email"
          checked={channels.includes('email')}
          onValue={(on) => set('email', on)}
          testid="alert-channel-email"
        />
      </fieldset>
      {problem && (
        <p class="field-error" id="alert-channels-err" role="alert" data-testid="alert-channels-error">
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      )}
      <Button type="submit" kind="primary" busy={busy} disabled={sameChannels(channels, saved)} testid="save-alert-channels">
        {C.saveChannels}
      </Button>
      <PushOnThisDevice pushChosen={saved.includes('push')} />
    </form>
  );
}

/** Subscribes this browser to Web Push with the patient app's own code (push/subscribe.ts). */
function PushOnThisDevice({ pushChosen }: { pushChosen: boolean }) {
  const { support, subscribed, message, busy, enable } = usePushOnThisDevice({
    enabled: C.pushEnabled,
    denied: C.pushDenied,
    unsupported: C.pushUnsupported,
    'ios-install-first': C.pushIosFirst,
  });
  return (
    <div class="push-device" data-testid="push-device">
      <h3>{C.pushDevice}</h3>
      {support === 'ios-install-first' ? (
        <p>{C.pushIosFirst}</p>
      ) : support === 'unsupported' ? (
        <p>{C.pushUnsupported}</p>
      ) : subscribed ? (
        <p data-testid="push-device-on">
          <span aria-hidden="true">✓ </span>
          {C.pushDeviceOn}
        </p>
      ) : permission() === 'denied' ? (
        <p>{C.pushDenied}</p>
      ) : (
        <>
          <p class="hint">{C.pushDeviceOff}</p>
          <Button onClick={enable} busy={busy} testid="turn-on-push">
            {busy ? C.turningOnPush : C.turnOnPush}
          </Button>
        </>
      )}
      {subscribed && !pushChosen && <p class="hint">{C.pushChannelOffHint}</p>}
      {message && !subscribed && (
        <p role="status" class="note">
          {message}
        </p>
      )}
      {message && subscribed && (
        <p role="status" class="visually-hidden">
          {message}
        </p>
      )}
    </div>
  );
}
