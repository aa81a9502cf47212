// A clinician's Profile: the name patients see, the time zone, two-factor sign-in, and signing out.

import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Profile } from '../../api/types';
import { deviceTimeZone, isValidTimeZone } from '../../logic/time';
import { saveProfile, signOut } from '../../session';
import { app, toast } from '../../state';
import { useStore } from '../../store';
import { strings } from '../../strings';
import { Button, FormError, TextField } from '../../ui/form';
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
