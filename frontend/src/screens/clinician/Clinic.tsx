// The clinics in the clinician workspace: my clinics (/clinician/clinics), one clinic's page
// (/clinician/clinics/<id>: its members and roles; for an admin, invitations, the pending ones (cancelled
// there), removing members and changing roles; any member may leave), adding a patient with the choice
// "for <clinic>" or "just me" (here and on the patient list), and accepting an invitation from its email
// (/clinic-invite?token=…, reachable signed out; signed in, the invitation is looked up first: "Join <clinic>").

import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage, notifyAuthRequired, type RequestOptions } from '../../api/client';
import type { ClinicInviteCreated, ClinicInviteLookup, ClinicMember, ClinicPendingInvite, ClinicRole, MyClinic, Redeemed, User } from '../../api/types';
import { redeemErrorText } from '../../logic/clinician';
import { clinicPath, inviteToken, loadMyClinics, patientPath, signInForInvite } from '../../logic/clinicianPaths';
import { inviteSentText, isEndedSession, redeemBody, redeemOptions, refusalText, roleLabel, type RedeemFor } from '../../logic/clinics';
import { deviceTimeZone, formatWithZone } from '../../logic/time';
import { navigate, useRoute } from '../../router';
import { signIn, signOut } from '../../session';
import { app, toast } from '../../state';
import { useStore } from '../../store';
import { strings } from '../../strings';
import { Button, Choice, FormError, Select, TextField } from '../../ui/form';
import { A, Confirm, Page } from '../../ui/widgets';
import { useMyClinics, useViewerZone } from './shared';
import { useApi } from './useApi';

const CL = strings.clinics;
const C = strings.clinician;
const ROLES: ClinicRole[] = ['clinician', 'admin'];

/**
 * A clinic request whose 403 or 400 carries a reason to show (not an admin, the last admin, a clinician
 * in no clinic): the app signs out only when the session itself is gone.
 */
async function clinicCall<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await api<T>(path, { ...options, public: true });
  } catch (err) {
    if (isEndedSession(err)) notifyAuthRequired();
    throw err;
  }
}

/** My clinics asked again, after joining or leaving one (the navigation's entry follows). */
function reloadMyClinics(): Promise<MyClinic[]> {
  return loadMyClinics(app.get().user?.id ?? null, { again: true });
}

// --- My clinics ---

export function ClinicsIndex() {
  const { clinics, error } = useMyClinics();
  useEffect(() => {
    if (clinics?.length === 1) navigate(clinicPath(clinics[0].id), { replace: true });
  }, [clinics]);
  return (
    <Page title={CL.listTitle} intro={CL.listIntro}>
      {error ? <FormError error={error} /> : null}
      {!clinics && !error && <p>{strings.loading}</p>}
      {clinics && clinics.length === 0 && <p data-testid="no-clinic">{CL.none}</p>}
      {clinics && clinics.length > 0 && (
        <ul class="entry-list" data-testid="my-clinics">
          {clinics.map((c) => (
            <li class="entry" key={c.id}>
              <A href={clinicPath(c.id)}>{c.name}</A> <span class="hint">{roleLabel(c.role)}</span>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

// --- One clinic ---

export function ClinicPage({ id }: { id: string }) {
  const { clinics, error } = useMyClinics();
  const members = useApi<ClinicMember[]>(`/api/v1/clinics/${encodeURIComponent(id)}/members/`);
  const mine = clinics?.find((c) => c.id === id) ?? null;
  const me = useStore(app).user?.id ?? null;
  // Bumped when an invitation is sent, so the pending list shows it.
  const [sent, setSent] = useState(0);
  if (clinics && !mine) {
    return (
      <Page title={CL.listTitle}>
        <p role="alert">{CL.notFound}</p>
        <p>
          <A href="/clinician/clinics">{CL.listTitle}</A>
        </p>
      </Page>
    );
  }
  if (!mine) {
    return <Page title={CL.listTitle}>{error ? <FormError error={error} /> : <p>{strings.loading}</p>}</Page>;
  }
  const admin = mine.role === 'admin';
  return (
    <Page title={mine.name} intro={CL.intro} testid="clinic-page">
      <p class="clinic-role" data-testid="my-clinic-role">
        <strong>{CL.yourRole(roleLabel(mine.role))}</strong> <span class="hint">{CL.roleHint}</span>
      </p>
      <div class="clinic-columns">
        <section class="card" aria-labelledby="members-title">
          <h2 id="members-title">{CL.membersTitle}</h2>
          {members.error && !members.data ? (
            <div class="form-error" role="alert">
              <p>{CL.loadFailed}</p>
              <p>{errorMessage(members.error)}</p>
              <Button onClick={members.reload}>{strings.retry}</Button>
            </div>
          ) : !members.data ? (
            <p>{strings.loading}</p>
          ) : (
            <>
              <p class="hint">{CL.membersCaption(members.data.length)}</p>
              <ul class="entry-list members" data-testid="clinic-members">
                {members.data.map((m) => (
                  <MemberRow key={m.user} clinic={mine} member={m} admin={admin} me={me} onChanged={members.reload} />
                ))}
              </ul>
            </>
          )}
        </section>
        <div class="clinic-side">
          {admin && <InviteForm clinic={mine} onSent={() => setSent((n) => n + 1)} />}
          {admin && <PendingInvites clinic={mine} sent={sent} />}
          <RedeemWithClinic clinics={clinics ?? []} first={mine.id} />
        </div>
      </div>
    </Page>
  );
}

function MemberRow(p: { clinic: MyClinic; member: ClinicMember; admin: boolean; me: string | null; onChanged: () => void }) {
  const { clinic, member: m } = p;
  const self = m.user === p.me;
  const [role, setRole] = useState<ClinicRole>(m.role);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/v1/clinics/${encodeURIComponent(clinic.id)}/members/${encodeURIComponent(m.user)}/`;
  const errorId = `member-${m.user}-err`;
  useEffect(() => setRole(m.role), [m.role]);

  const fail = (err: unknown, field: string) => setProblem(refusalText(err, field) ?? errorMessage(err));
  const changeRole = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await clinicCall(url, { method: 'PATCH', body: { role } });
      toast(CL.roleChanged(m.name, roleLabel(role)));
      if (self) await reloadMyClinics().catch(() => undefined);
      p.onChanged();
    } catch (err) {
      fail(err, 'role');
      setRole(m.role);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setProblem(null);
    try {
      await clinicCall(url, { method: 'DELETE' });
      setAsking(false);
      if (self) {
        toast(CL.left(clinic.name));
        await reloadMyClinics().catch(() => undefined);
        navigate('/clinician');
        return;
      }
      toast(CL.removed(m.name));
      p.onChanged();
    } catch (err) {
      setAsking(false);
      fail(err, 'user');
    }
  };
  return (
    <li class="entry member" data-testid="clinic-member" data-user={m.user} data-role={m.role}>
      <p class="member-who">
        <strong>{m.name}</strong> {self && <span class="hint">{CL.you}</span>}
        {m.name !== m.email && <span class="email">{m.email}</span>}
      </p>
      {p.admin ? (
        <div class="member-role">
          <Select<ClinicRole>
            label={CL.roleOf(m.name)}
            name={`role-${m.user}`}
            value={role}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            onValue={setRole}
            testid="member-role"
          />
          {role !== m.role && (
            <Button kind="primary" busy={busy} onClick={() => void changeRole()} testid="member-role-save">
              {CL.saveRole}
            </Button>
          )}
        </div>
      ) : (
        <p class="member-role-text">
          <span class="level-badge" data-testid="member-role-text">
            {roleLabel(m.role)}
          </span>
        </p>
      )}
      {(self || p.admin) &&
        (asking ? (
          <Confirm
            question={self ? CL.leaveQuestion(clinic.name) : CL.removeQuestion(m.name, clinic.name)}
            yes={self ? CL.leaveYes : CL.removeYes}
            no={strings.cancel}
            danger
            onYes={remove}
            onNo={() => setAsking(false)}
          />
        ) : (
          <Button kind={self ? 'secondary' : 'danger'} onClick={() => setAsking(true)} testid={self ? 'leave-clinic' : 'remove-member'}>
            {self ? CL.leave : CL.remove(m.name)}
          </Button>
        ))}
      {problem && (
        <p class="field-error" id={errorId} role="alert" data-testid="member-error">
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      )}
    </li>
  );
}

function InviteForm({ clinic, onSent }: { clinic: MyClinic; onSent: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ClinicRole | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSent(null);
    const missing: Record<string, string[]> = {};
    if (!email.trim()) missing.email = [CL.needEmail];
    if (role === null) missing.role = [CL.chooseRole];
    if (Object.keys(missing).length) {
      setError(new ApiError('validation', 400, missing));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const invite = await clinicCall<ClinicInviteCreated>(`/api/v1/clinics/${encodeURIComponent(clinic.id)}/invites/`, {
        method: 'POST',
        body: { email: email.trim(), role },
      });
      setSent(inviteSentText(invite.email, invite.role));
      setEmail('');
      setRole(null);
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[aria-describedby] input')?.focus();
  }, [error]);
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <form class="card invite" onSubmit={submit} noValidate aria-labelledby="invite-title" ref={form} data-testid="invite-form">
      <h2 id="invite-title">{CL.inviteTitle}</h2>
      <p class="hint">{CL.inviteIntro}</p>
      {/* The field's own messages sit under it; anything else (a 403, offline) here. */}
      {error && !(error instanceof ApiError && (errors.email || errors.role)) ? <FormError error={error} shownFields={['email', 'role']} /> : null}
      <TextField label={CL.inviteEmail} name="email" type="email" inputMode="email" autocomplete="off" value={email} onValue={setEmail} errors={errors} testid="invite-email" />
      <Choice<ClinicRole>
        legend={CL.inviteRole}
        name="role"
        options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
        value={role}
        onValue={setRole}
        errors={errors}
        testid="invite-role"
      />
      <Button type="submit" kind="primary" busy={busy} testid="invite-submit">
        {busy ? CL.inviting : CL.invite}
      </Button>
      <div role="status" aria-live="polite">
        {sent && (
          <p class="success" data-testid="invite-sent">
            <span aria-hidden="true">✓ </span>
            {sent}
          </p>
        )}
      </div>
    </form>
  );
}

// --- An admin's pending invitations ---

function PendingInvites({ clinic, sent }: { clinic: MyClinic; sent: number }) {
  const url = `/api/v1/clinics/${encodeURIComponent(clinic.id)}/invites/`;
  const [invites, setInvites] = useState<ClinicPendingInvite[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const zone = useViewerZone();
  useEffect(() => {
    let live = true;
    clinicCall<ClinicPendingInvite[]>(url)
      .then((list) => {
        if (!live) return;
        setInvites(list);
        setError(null);
      })
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [url, sent, tick]);
  const reload = () => setTick((t) => t + 1);
  return (
    <section class="card pending-invites" aria-labelledby="pending-title" data-testid="pending-invites">
      <h2 id="pending-title">{CL.pendingTitle}</h2>
      {error && !invites ? (
        <div class="form-error" role="alert">
          <p>{CL.pendingLoadFailed}</p>
          <p>{refusalText(error) ?? errorMessage(error)}</p>
          <Button onClick={reload}>{strings.retry}</Button>
        </div>
      ) : !invites ? (
        <p>{strings.loading}</p>
      ) : invites.length === 0 ? (
        <p class="hint" data-testid="pending-none">
          {CL.pendingNone}
        </p>
      ) : (
        <>
          <p class="hint">{CL.pendingCaption(invites.length)}</p>
          <ul class="entry-list">
            {invites.map((i) => (
              <PendingInviteRow key={i.id} url={`${url}${encodeURIComponent(i.id)}/`} invite={i} zone={zone} onCancelled={reload} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PendingInviteRow(p: { url: string; invite: ClinicPendingInvite; zone: string; onCancelled: () => void }) {
  const { invite: i } = p;
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const cancel = async () => {
    setProblem(null);
    try {
      await clinicCall(p.url, { method: 'DELETE' });
      setAsking(false);
      toast(CL.inviteCancelled(i.email));
      p.onCancelled();
    } catch (err) {
      setAsking(false);
      setProblem(refusalText(err) ?? errorMessage(err));
    }
  };
  return (
    <li class="entry pending-invite" data-testid="pending-invite" data-email={i.email}>
      <p class="pending-who">
        <strong class="email-address">{i.email}</strong> <span class="level-badge">{CL.pendingRole(roleLabel(i.role))}</span>
      </p>
      <p class="hint">
        {i.invited_by_name ? CL.pendingBy(i.invited_by_name) : CL.pendingByGone}
        <br />
        {/* On the clinician's own clock, labelled with its zone. */}
        <time dateTime={i.expires_at} data-testid="pending-expires">
          {CL.pendingExpires(formatWithZone(i.expires_at, p.zone))}
        </time>
      </p>
      {asking ? (
        <Confirm question={CL.cancelInviteQuestion(i.email)} yes={CL.cancelInviteYes} no={CL.keepInvite} danger onYes={cancel} onNo={() => setAsking(false)} />
      ) : (
        <Button kind="danger" onClick={() => setAsking(true)} testid="cancel-invite">
          {CL.cancelInvite(i.email)}
        </Button>
      )}
      {problem && (
        <p class="field-error" role="alert" data-testid="pending-error">
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      )}
    </li>
  );
}

// --- Adding a patient: for which clinic, or just me ---

/**
 * The sharing code's form for a clinician who belongs to clinics: who gets the patient is asked each
 * time (the clinics first, `first` at the top), never assumed. With no clinic there is nothing to ask.
 */
export function RedeemWithClinic({ clinics, first, onAdded }: { clinics: MyClinic[]; first?: string; onAdded?: () => void }) {
  const [code, setCode] = useState('');
  const [forWhom, setForWhom] = useState<RedeemFor>(null);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<{ id: string; text: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLFormElement>(null);
  const id = useId();
  const focusProblem = (fields: Record<string, string[]>) =>
    box.current?.querySelector<HTMLElement>(fields.code ? 'input[name="code"]' : 'fieldset input')?.focus();
  const submit = async (e: Event) => {
    e.preventDefault();
    setAdded(null);
    const body = redeemBody(code, clinics, forWhom);
    if (body instanceof ApiError) {
      setError(body);
      focusProblem(body.fields);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await clinicCall<Redeemed>('/api/v1/sharing/redeem/', { method: 'POST', body });
      const name = r.link.patient_name || C.unnamed;
      setAdded({ id: r.patient, name, text: r.link.clinic_name ? CL.addedFor(name, r.link.clinic_name) : C.added(name) });
      setCode('');
      setForWhom(null);
      onAdded?.();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) focusProblem(err.fields);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  // A 403 (no clinic: the server says why) or a 429 is about the code as a whole: under the code, plainly.
  const validation = error instanceof ApiError && error.kind === 'validation';
  const throttled = error instanceof ApiError && error.kind === 'throttled' ? redeemErrorText(error) : null;
  const codeProblem = error ? (throttled ?? refusalText(error, 'code') ?? (validation ? null : errorMessage(error))) : null;
  return (
    <form class="card redeem" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} ref={box} data-testid="clinic-redeem">
      <h2 id={`${id}-title`}>{C.addTitle}</h2>
      <p class="hint">{C.addIntro}</p>
      <div class="field">
        <label for={`${id}-code`}>{C.codeLabel}</label>
        <p class="hint" id={`${id}-hint`}>
          {C.codeHint}
        </p>
        <input
          id={`${id}-code`}
          name="code"
          type="text"
          value={code}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          aria-invalid={codeProblem ? true : undefined}
          aria-describedby={codeProblem ? `${id}-hint ${id}-err` : `${id}-hint`}
          data-testid="redeem-code-input"
        />
        {codeProblem && (
          <p class="field-error" id={`${id}-err`} data-testid="redeem-error">
            <span aria-hidden="true">⚠ </span>
            {codeProblem}
          </p>
        )}
      </div>
      {clinics.length > 0 && (
        <Choice<string>
          legend={CL.forWhom}
          hint={CL.forWhomHint}
          name="clinic"
          options={redeemOptions(clinics, first)}
          value={forWhom}
          onValue={setForWhom}
          errors={errors}
          testid="redeem-for"
        />
      )}
      <Button type="submit" kind="primary" busy={busy} testid="redeem-code-submit">
        {busy ? C.adding : C.add}
      </Button>
      <div role="status" aria-live="polite">
        {added && (
          <p class="success" data-testid="redeem-result">
            <span aria-hidden="true">✓ </span>
            {added.text} <A href={patientPath(added.id)}>{C.openAdded(added.name)}</A>
          </p>
        )}
      </div>
    </form>
  );
}

// --- Accepting an invitation ---

export function ClinicInvite() {
  const { query } = useRoute();
  const { user, profile } = useStore(app);
  const token = inviteToken(query);
  const clinician = user?.role === 'clinician';
  const looked = useInviteLookup(clinician ? token : '', user?.id ?? null);
  const found = looked.invite;
  return (
    <Page title={found ? CL.joinNamed(found.clinic_name) : CL.inviteTitlePage} intro={CL.inviteIntroPage} testid="clinic-invite">
      {!token ? (
        <p role="alert" data-testid="invite-problem">
          {CL.noToken}
        </p>
      ) : !user ? (
        <SignedOut token={token} />
      ) : user.role !== 'clinician' ? (
        <div class="card">
          <p role="alert" data-testid="invite-problem">
            {CL.patientAccount}
          </p>
          <SignOutFor token={token} />
        </div>
      ) : (
        <Join token={token} email={profile?.email ?? user.email} lookup={looked} />
      )}
    </Page>
  );
}

function SignOutFor({ token }: { token: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      busy={busy}
      onClick={async () => {
        setBusy(true);
        await signOut();
        // Back to the sign-in, which returns to this invitation.
        navigate(signInForInvite(token), { replace: true });
      }}
      testid="invite-sign-out"
    >
      {CL.signOutFirst}
    </Button>
  );
}

interface InviteLookupState {
  invite: ClinicInviteLookup | null;
  error: unknown;
  done: boolean;
}

/** The invitation, looked up for the signed-in clinician (a POST: the token stays out of logged URLs). */
function useInviteLookup(token: string, userId: string | null): InviteLookupState {
  const [state, setState] = useState<InviteLookupState>({ invite: null, error: null, done: false });
  useEffect(() => {
    setState({ invite: null, error: null, done: false });
    if (!token || !userId) return;
    let live = true;
    clinicCall<ClinicInviteLookup>('/api/v1/clinics/invites/lookup/', { method: 'POST', body: { token } })
      .then((invite) => live && setState({ invite, error: null, done: true }))
      .catch((error) => live && setState({ invite: null, error, done: true }));
    return () => {
      live = false;
    };
  }, [token, userId]);
  return state;
}

function Join({ token, email, lookup }: { token: string; email: string; lookup: InviteLookupState }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const clinic = await clinicCall<MyClinic>('/api/v1/clinics/invites/accept/', { method: 'POST', body: { token } });
      await reloadMyClinics().catch(() => undefined);
      toast(CL.joined(clinic.name));
      navigate('/clinician', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const zone = useViewerZone();
  const problem = error ? (refusalText(error, 'token') ?? errorMessage(error)) : null;
  const found = lookup.invite;
  const lookupError = lookup.error instanceof ApiError ? lookup.error : null;
  // Not this account's (404) or no longer usable (400): joining would only fail, so it is not offered.
  const refused = lookupError?.kind === 'notfound' || lookupError?.kind === 'validation';
  if (!lookup.done) {
    return (
      <div class="card">
        <p>{CL.signedInAs(email)}</p>
        <p role="status">{CL.checkingInvite}</p>
      </div>
    );
  }
  if (refused) {
    return (
      <div class="card">
        <p>{CL.signedInAs(email)}</p>
        <div class="form-error" role="alert" data-testid="invite-problem">
          <p>{lookupError.kind === 'notfound' ? CL.inviteNotYours(email) : (refusalText(lookupError, 'token') ?? errorMessage(lookupError))}</p>
          <SignOutFor token={token} />
        </div>
      </div>
    );
  }
  return (
    <div class="card">
      <p>{CL.signedInAs(email)}</p>
      {found ? (
        <div class="invite-details" data-testid="invite-details">
          <p>{CL.inviteFor(found.email, roleLabel(found.role))}</p>
          <p class="hint">
            <time dateTime={found.expires_at}>{CL.inviteValidUntil(formatWithZone(found.expires_at, zone))}</time>
          </p>
        </div>
      ) : (
        // The look-up failed for another reason (offline, a server error): joining may still work.
        <p class="hint" role="alert">
          {CL.inviteCheckFailed} {errorMessage(lookup.error)}
        </p>
      )}
      <Button kind="primary" busy={busy} onClick={() => void join()} testid="invite-join" class="btn-wide">
        {busy ? CL.joining : found ? CL.joinNamed(found.clinic_name) : CL.join}
      </Button>
      {problem && (
        <div class="form-error" role="alert" data-testid="invite-problem">
          <p>{problem}</p>
          <SignOutFor token={token} />
        </div>
      )}
    </div>
  );
}

function SignedOut({ token }: { token: string }) {
  const A_ = strings.auth;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<User>('/api/v1/auth/register/', {
        method: 'POST',
        public: true,
        body: { email: email.trim(), password, display_name: name.trim(), role: 'clinician', timezone: deviceTimeZone() },
      });
      // Signed in, the page asks to join (the invitation is still unused).
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = error instanceof ApiError ? error.fields : {};
  return (
    <>
      <div class="card">
        <p>{CL.signInToJoin}</p>
        <A href={signInForInvite(token)} class="btn btn-primary" testid="invite-sign-in">
          {CL.signIn}
        </A>
      </div>
      <form class="card" onSubmit={create} noValidate aria-labelledby="create-clinician-title">
        <h2 id="create-clinician-title">{CL.createTitle}</h2>
        <p class="hint">{CL.orCreate}</p>
        <FormError error={error} shownFields={['email', 'password', 'display_name']} />
        <TextField label={A_.displayName} name="display_name" autocomplete="name" value={name} onValue={setName} errors={errors} />
        <TextField label={A_.email} name="email" type="email" autocomplete="email" inputMode="email" value={email} onValue={setEmail} errors={errors} required />
        <TextField label={A_.password} name="password" type="password" autocomplete="new-password" value={password} onValue={setPassword} errors={errors} hint={A_.passwordHint} required />
        <Button type="submit" kind="secondary" busy={busy} testid="invite-create-account">
          {busy ? CL.creating : CL.create}
        </Button>
      </form>
    </>
  );
}
