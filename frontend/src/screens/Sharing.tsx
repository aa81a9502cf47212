// Sharing: make a one-time code (shown big, with its expiry), who can see my diary (a clinic by name with
// the people in it now, or one clinician; one-tap revoke), who is told of an urgent warning (and that
// nobody watches around the clock), and the access log (every time a clinician opened or exported the
// diary, naming the clinic they read through, on the patient's clock).

import { useEffect, useState } from 'preact/hooks';
import { api, listFirst } from '../api/client';
import type { AccessLogEntry, Link, ShareCode } from '../api/types';
import { linkAudience, readerText } from '../logic/clinics';
import { callLinks } from '../logic/emergency';
import { clockZone, deviceTimeZone, formatWithZone, zoneLabel } from '../logic/time';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, FormError } from '../ui/form';
import { Page } from '../ui/widgets';

const SH = strings.sharing;
const SU = strings.sharingUrgent;
const SC = strings.sharingClinic;

export function Sharing() {
  const [code, setCode] = useState<ShareCode | null>(null);
  const [links, setLinks] = useState<Link[] | null>(null);
  const [log, setLog] = useState<AccessLogEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { profile } = useStore(app);
  // The patient's own clock (their profile's zone): every time on this page is theirs, labelled.
  const zone = clockZone(profile?.timezone || deviceTimeZone());

  const load = () => {
    listFirst<Link>('/api/v1/sharing/links/?page_size=100').then(setLinks).catch(setError);
    listFirst<AccessLogEntry>('/api/v1/access-log/?page_size=50').then(setLog).catch(() => setLog(null));
  };
  useEffect(load, []);

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      setCode(await api<ShareCode>('/api/v1/sharing/codes/', { method: 'POST' }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (link: Link) => {
    setError(null);
    try {
      await api(`/api/v1/sharing/links/${link.id}/`, { method: 'DELETE' });
      const who = linkAudience(link);
      toast(who.clinic ? SC.revoked(who.title) : SH.revoked(who.title));
      setLinks((ls) => (ls ?? []).filter((l) => l.id !== link.id));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Page title={strings.titles.sharing} intro={SH.intro}>
      {error ? <FormError error={error} /> : null}
      <section class="card" aria-labelledby="code-title">
        <h2 id="code-title">{SH.codeLabel}</h2>
        {code && (
          <div class="share-code-box" role="status">
            <p class="share-code" data-testid="share-code" aria-label={`${SH.codeLabel}: ${code.code.split('').join(' ')}`}>
              {code.code}
            </p>
            <p data-testid="share-expiry">{SH.expires(formatWithZone(code.expires_at, zone))}</p>
          </div>
        )}
        <Button kind="primary" onClick={make} busy={busy} testid="make-share-code">
          {busy ? SH.making : SH.make}
        </Button>
      </section>
      <section aria-labelledby="who-title">
        <h2 id="who-title">{SH.who}</h2>
        {links && links.length === 0 && <p>{SH.nobody}</p>}
        {links && links.length > 0 && (
          <ul class="entry-list" data-testid="sharing-links">
            {links.map((l) => (
              <SharingLink link={l} zone={zone} onRevoke={() => void revoke(l)} key={l.id} />
            ))}
          </ul>
        )}
      </section>
      <WhoIsTold links={links} />
      <section aria-labelledby="log-title">
        <h2 id="log-title">{SH.log}</h2>
        {log && log.length === 0 && <p>{SH.logEmpty}</p>}
        {log && log.length > 0 && (
          <>
            <p class="hint">{SC.timesIn(zoneLabel(zone))}</p>
            <ul class="entry-list compact" data-testid="access-log">
              {log.map((entry, i) => (
                <li class="entry" key={i} data-testid="access-log-entry">
                  <strong>{readerText(entry)}</strong> {SH.action(entry.action)} ·{' '}
                  <time dateTime={entry.at}>{formatWithZone(entry.at, zone)}</time>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </Page>
  );
}

/** One link: a clinic by name with the people who can read the diary through it now, or one clinician. */
function SharingLink({ link, zone, onRevoke }: { link: Link; zone: string; onRevoke: () => void }) {
  const who = linkAudience(link);
  const since = SH.since(formatWithZone(link.created_at, zone));
  if (!who.clinic) {
    return (
      <li class="entry" data-testid="sharing-link">
        <p>
          <strong>{who.title}</strong> <span class="hint">{since}</span>
        </p>
        <Button kind="danger" onClick={onRevoke}>
          {SH.revoke(who.title)}
        </Button>
      </li>
    );
  }
  const peopleId = `people-${link.id}`;
  return (
    <li class="entry clinic-link" data-testid="sharing-link" data-clinic={link.clinic ?? undefined}>
      <p>
        <span class="clinic-badge">{SC.clinicBadge}</span> <strong data-testid="sharing-clinic-name">{who.title}</strong>{' '}
        <span class="hint">{since}</span>
      </p>
      <h3 id={peopleId} class="people-title">
        {SC.peopleTitle(who.title)}
      </h3>
      {who.people.length === 0 ? (
        <p>{SC.peopleNone}</p>
      ) : (
        <ul class="people" aria-labelledby={peopleId} data-testid="sharing-people">
          {who.people.map((name, i) => (
            <li key={i}>{name}</li>
          ))}
        </ul>
      )}
      <p class="hint">{SC.peopleHint}</p>
      <Button kind="danger" onClick={onRevoke} testid="revoke-clinic">
        {SC.revoke(who.title)}
      </Button>
    </li>
  );
}

/**
 * Who learns of an urgent warning, said plainly: each clinician shared with, by push or email, with a
 * generic text; and that nobody watches the diary around the clock, with the number to call instead.
 */
function WhoIsTold({ links }: { links: Link[] | null }) {
  const { profile } = useStore(app);
  const number = callLinks(profile)
    .map((l) => l.number)
    .join(` ${strings.acknowledge.or} `);
  return (
    <section class="card" aria-labelledby="told-title" data-testid="who-is-told">
      <h2 id="told-title">{SU.title}</h2>
      <p>{SU.told}</p>
      {links && links.length === 0 && <p>{SU.nobodyShared}</p>}
      <p>
        <strong>{SU.notWatched}</strong> <strong>{SU.callNow(number)}</strong>
      </p>
    </section>
  );
}
