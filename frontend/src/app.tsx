// The app frame: start-up, the role switch (patients get the diary and its bottom tabs; clinicians the
// workspace, a lazy chunk, with a top navigation), the routes and the status bar.

import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { applyUpdate } from './pwa';
import { CLINIC_INVITE_PATH, clinicPath, clinicianView, loadMyClinics, myClinics } from './logic/clinicianPaths';
import { navigate, nextPath, useRoute } from './router';
import { isPublicPath, signOut } from './session';
import { app } from './state';
import { useStore } from './store';
import { strings } from './strings';
import { ResetPassword, SignIn, SignUp } from './screens/Auth';
import { History } from './screens/History';
import { Medicines } from './screens/Medicines';
import { CheckinScreen, CrampScreen } from './screens/Log';
import { Onboarding } from './screens/Onboarding';
import { More, Profile } from './screens/Profile';
import { Reminders } from './screens/Reminders';
import { Sharing } from './screens/Sharing';
import { Today } from './screens/Today';
import { WeeklySummary } from './screens/WeeklySummary';
import { Button } from './ui/form';
import { A, Page, SyncStatus, TabBar, ToastRegion, UpdateBanner } from './ui/widgets';

// Trends carries uPlot: loaded when first opened, not in the first load.
const Trends = lazy(() => import('./screens/Trends'));
// The clinician workspace (desktop-first, with uPlot) is a chunk of its own, fetched after a clinician signs in.
const ClinicianWorkspace = lazy(() => import('./screens/clinician/Workspace'));

function ClinicianNav({ path }: { path: string }) {
  const N = strings.clinician;
  const me = useStore(app).user?.id ?? null;
  const { clinics, of } = useStore(myClinics);
  // The clinics I belong to, asked once per person signed in (joining or leaving one refreshes them).
  useEffect(() => {
    if (me === null || myClinics.get().of === me) return;
    loadMyClinics(me).catch(() => setFailed(true));
  }, [me]);
  const [failed, setFailed] = useState(false);
  const mine = of === me ? (clinics ?? []) : [];
  // Drawn once the clinics are known: a "Clinic" entry added later moved the page down on a phone.
  if (of !== me && !failed) return null;
  const onClinic = path === '/clinician/clinics' || path.startsWith('/clinician/clinics/');
  const onList = !onClinic && (path === '/clinician' || path.startsWith('/clinician/'));
  return (
    <nav class="clinician-nav" aria-label={N.nav}>
      <ul>
        <li>
          <A href="/clinician" ariaCurrent={path === '/clinician'} class={onList ? 'active' : undefined} testid="nav-patients">
            {N.patients}
          </A>
        </li>
        {mine.length > 0 && (
          <li>
            <A
              href={mine.length === 1 ? clinicPath(mine[0].id) : '/clinician/clinics'}
              ariaCurrent={mine.length === 1 ? path === clinicPath(mine[0].id) : path === '/clinician/clinics'}
              class={onClinic ? 'active' : undefined}
              testid="nav-clinic"
            >
              {mine.length === 1 ? strings.clinics.nav : strings.clinics.navMany}
            </A>
          </li>
        )}
        <li>
          <A href="/profile" ariaCurrent={path === '/profile'} class={path === '/profile' ? 'active' : undefined} testid="nav-profile">
            {N.profile}
          </A>
        </li>
        <li>
          <Button kind="link" onClick={() => void signOut()} testid="nav-sign-out">
            {strings.auth.signOut}
          </Button>
        </li>
      </ul>
    </nav>
  );
}

const PATIENT_ROUTES: Record<string, () => preact.JSX.Element> = {
  '/': Today,
  '/cramp': CrampScreen,
  '/checkin': CheckinScreen,
  '/history': History,
  '/trends': () => (
    <Suspense fallback={<p>{strings.loading}</p>}>
      <Trends />
    </Suspense>
  ),
  '/reminders': Reminders,
  '/sharing': Sharing,
  '/profile': Profile,
  '/more': More,
  '/medicines': Medicines,
  '/summary/weekly': WeeklySummary,
};

function NotFound() {
  return (
    <Page title={strings.titles.notFound}>
      <p>{strings.notFound}</p>
    </Page>
  );
}

function PublicScreen({ path }: { path: string }) {
  if (path === '/signup') return <SignUp />;
  // An invitation to a clinic: the workspace's page, signed in or not.
  if (path === CLINIC_INVITE_PATH) {
    return (
      <Suspense fallback={<p>{strings.loading}</p>}>
        <ClinicianWorkspace />
      </Suspense>
    );
  }
  if (path === '/reset-password') return <ResetPassword />;
  return <SignIn />;
}

export function App() {
  const s = useStore(app);
  const { path } = useRoute();
  // The first run: shown to a patient whose profile has not finished or skipped it, and kept open until
  // its last step (saving an answer must not close it); closed for this start once done, also offline.
  const [onboarding, setOnboarding] = useState<'unseen' | 'open' | 'closed'>('unseen');
  const needsOnboarding = s.user?.role === 'patient' && s.profile?.id === s.user.id && s.profile.onboarded_at === null;
  useEffect(() => setOnboarding('unseen'), [s.user?.id]);
  useEffect(() => {
    if (needsOnboarding && onboarding === 'unseen') setOnboarding('open');
  }, [needsOnboarding, onboarding]);
  const inOnboarding = onboarding === 'open' || (needsOnboarding && onboarding === 'unseen');
  // Just signed in (or up), the profile is on its way: a moment of "Loading…" rather than a flash of
  // Today before the first run. Bounded, so a profile that cannot come never keeps the diary away.
  const profileComing = s.user?.role === 'patient' && s.profile?.id !== s.user.id && s.online;
  const [gaveUpWaiting, setGaveUpWaiting] = useState(false);
  useEffect(() => {
    setGaveUpWaiting(false);
    if (!profileComing) return;
    const timer = setTimeout(() => setGaveUpWaiting(true), 3000);
    return () => clearTimeout(timer);
  }, [profileComing]);

  // Signed out on a private path: to the sign-in, coming back here afterwards.
  useEffect(() => {
    if (!s.booted) return;
    if (!s.user && !isPublicPath(path)) {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
      navigate(`/signin${next}`, { replace: true });
    } else if (s.user && (path === '/signin' || path === '/signup')) {
      navigate(nextPath(), { replace: true });
    } else if (s.user?.role === 'clinician' && clinicianView(path).view === 'other' && !isPublicPath(path)) {
      // The patient's paths (Today at `/` among them) lead a clinician to the workspace's home.
      navigate('/clinician', { replace: true });
    }
  }, [s.booted, s.user?.id, s.user?.role, path]);

  useEffect(() => {
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [path]);

  if (!s.booted) {
    return (
      <main id="main" class="boot">
        <p>{strings.loading}</p>
      </main>
    );
  }

  const signedIn = s.user !== null;
  const patient = s.user?.role !== 'clinician';
  let screen: preact.JSX.Element;
  if (!signedIn || isPublicPath(path)) {
    screen = <PublicScreen path={path} />;
  } else if (!patient) {
    screen = (
      <Suspense fallback={<p>{strings.loading}</p>}>
        <ClinicianWorkspace />
      </Suspense>
    );
  } else if (profileComing && !gaveUpWaiting) {
    screen = <p>{strings.loading}</p>;
  } else if (inOnboarding && s.profile) {
    screen = (
      <Onboarding
        profile={s.profile}
        onDone={() => {
          setOnboarding('closed');
          navigate('/', { replace: true });
        }}
      />
    );
  } else {
    const Screen = PATIENT_ROUTES[path] ?? NotFound;
    screen = <Screen />;
  }

  return (
    <>
      <a class="skip-link" href="#main">
        {strings.skipToContent}
      </a>
      <header class="topbar">
        <span class="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {strings.appName}
        </span>
        {signedIn && patient && <SyncStatus />}
        {signedIn && !patient && !isPublicPath(path) && <ClinicianNav path={path} />}
      </header>
      <UpdateBanner onUpdate={applyUpdate} />
      <main id="main" class={signedIn && patient ? 'with-tabs' : signedIn ? 'wide' : undefined}>
        {screen}
      </main>
      <ToastRegion />
      {signedIn && patient && !isPublicPath(path) && !inOnboarding && !(profileComing && !gaveUpWaiting) && <TabBar />}
    </>
  );
}
