// Today: the Cramp button first, the urgent banner under it (server insights, and the app's own rules on
// recent check-ins for offline), the morning question, the other quick actions (stockings, elevate, water,
// check-in), the patient's factor tags, and what still waits to be sent.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Garment, PressureClass, Side } from '../api/types';
import type { Entry } from '../data/entries';
import { useEntries, useNow, useTimeZone } from '../data/hooks';
import { refreshInsights } from '../data/insights';
import { logEntry, nowIso, patchEntry } from '../data/log';
import { DEFAULT_NIGHT, clockZone, formatInZone, inNightWindow, localParts, zoneLabel } from '../logic/time';
import { urgentForToday } from '../logic/acknowledge';
import type { UrgentFacts } from '../logic/urgent';
import { app, toast } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Checkbox, Choice, Select } from '../ui/form';
import { A, Page, UrgentBanner, urgentOf } from '../ui/widgets';
import { Icon } from '../ui/icons';
import { GARMENTS, PRESSURES } from '../kinds/compression';
import { SIDES } from '../kinds/kind';
import { CompleteCramp } from './CompleteCramp';
import { nightCrampLogged } from '../logic/completeCramp';
import { QueueList } from './QueueList';
import { FactorTags } from './Factors';

const S = strings.today;
const ELEVATION_KEY = 'crampwise.elevation';
const LAST_STOCKINGS = 'crampwise.lastStockings';
const ELEVATION_MINUTES = 15;

interface StockingChoice {
  pressure_class: PressureClass;
  garment: Garment;
  legs: Side;
}

function readJson<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage disabled
  }
}

export function Today() {
  const s = useStore(app);
  const { entries } = useEntries();
  const now = useNow(30_000);
  const zone = useTimeZone();
  const today = localParts(now, zone).date;
  const list = entries ?? [];

  useEffect(() => {
    if (s.online) void refreshInsights();
  }, [s.online, s.recordsVersion]);

  const dayOf = (e: Entry) => localParts(new Date(e.at), zone).date;
  const water = list
    .filter((e) => e.collection === 'hydration' && dayOf(e) === today)
    .reduce((sum, e) => sum + Number(e.data.volume_ml ?? 0), 0);
  const openWear = list.find((e) => e.collection === 'compression' && !e.data.ended_at && e.state !== 'failed');
  // Taken off today (the latest first): a known "off"; with nothing logged today the state is unknown.
  const offToday =
    list.find(
      (e) => e.collection === 'compression' && e.state !== 'failed' && typeof e.data.ended_at === 'string' && localParts(new Date(e.data.ended_at), zone).date === today,
    ) ?? null;
  const answeredToday = list.some(
    (e) => e.collection === 'checkins' && dayOf(e) === today && (e.data.cramps_last_night === 'none' || e.data.cramps_last_night === 'some'),
  );
  const clock = { night_start: s.profile?.night_start || DEFAULT_NIGHT.night_start, night_end: s.profile?.night_end || DEFAULT_NIGHT.night_end, timezone: zone };
  // A night cramp already logged answers the morning question ("None" would contradict the diary).
  const cramps = list.filter((e) => e.collection === 'cramps');
  const showMorning = !answeredToday && !inNightWindow(now, clock) && !nightCrampLogged(cramps, now, clock);

  // Urgent warnings: the server's, else the app's own reading of recent check-ins (offline, unsent).
  const recentCheckins = list
    .filter((e) => e.collection === 'checkins')
    .map((e) => ({ ...(e.data as UrgentFacts), recorded_at: e.at, local_date: dayOf(e) }));
  const urgent = urgentForToday(urgentOf(s.insights), recentCheckins, s.profile?.previous_dvt ?? false, now);

  return (
    <Page title={strings.titles.today}>
      <h2 class="visually-hidden">{S.quickActions}</h2>
      {/* The Cramp button first, above any warning: a week of urgent warnings must not push it off the
          first screen. Shorter (icon beside the word) while a warning shows, so the banner right under it
          keeps the call on the first screen too. */}
      <div class="quick-grid quick-first">
        <A href="/cramp" class={`quick quick-cramp${urgent.length ? ' is-short' : ''}`} testid="quick-cramp">
          <Icon name="cramp" size={40} />
          <span class="quick-label">{S.cramp}</span>
        </A>
      </div>
      {/* Compact on Today, so the quick actions stay in reach; the full text is one tap away. */}
      <UrgentBanner insights={urgent} compact />
      {entries !== null && <CompleteCramp entries={list} now={now} clock={clock} />}
      {showMorning && entries !== null && <MorningQuestion />}
      {/* data-diary-read: the cached diary has been read (the cards above depend on it). */}
      <div class="quick-grid" data-diary-read={entries !== null ? 'yes' : 'no'}>
        <Stockings openWear={openWear ?? null} offToday={offToday} zone={zone} today={today} />
        <Elevate />
        <button
          type="button"
          class="quick"
          data-testid="quick-water"
          onClick={() =>
            void logEntry('hydration', { taken_at: nowIso(), volume_ml: 250 }, strings.saved.water, {
              undo: { undone: strings.saved.waterUndone },
            })
          }
        >
          <Icon name="water" size={40} />
          <span class="quick-label">{S.water}</span>
        </button>
        <A href="/checkin" class="quick quick-row" testid="quick-checkin">
          <Icon name="checkin" size={40} />
          <span class="quick-label">{S.checkin}</span>
        </A>
      </div>
      <p class="status-line" data-testid="water-today">
        {S.waterToday(water, s.profile?.fluid_target_ml ?? 2000)}
      </p>
      {entries !== null && <FactorTags entries={list} />}
      <QueueList />
    </Page>
  );
}

function MorningQuestion() {
  const [answered, setAnswered] = useState<'none' | 'some' | null>(null);
  const answer = async (value: 'none' | 'some') => {
    setAnswered(value);
    await logEntry('checkins', { recorded_at: nowIso(), cramps_last_night: value }, value === 'none' ? S.thanksNone : S.thanksSome);
  };
  if (answered === 'some') {
    return (
      <div class="card morning">
        <p>{S.thanksSome}</p>
        <div class="row">
          <A href="/cramp" class="btn btn-primary">
            {S.logCrampDetails}
          </A>
          <A href="/checkin" class="btn btn-secondary">
            {S.fullCheckin}
          </A>
        </div>
      </div>
    );
  }
  if (answered) return null;
  return (
    <div class="card morning" role="group" aria-labelledby="morning-q">
      <h2 id="morning-q">{S.crampsLastNight}</h2>
      <div class="row wrap">
        <Button kind="primary" class="btn-big" testid="checkin-none" onClick={() => void answer('none')}>
          {S.none}
        </Button>
        <Button kind="primary" class="btn-big" testid="checkin-some" onClick={() => void answer('some')}>
          {S.some}
        </Button>
      </div>
    </div>
  );
}

/** What the diary says of the stockings now, on the patient's clock and labelled: on since, off since
 * (taken off today), or not logged today. Never "off" as a guess. */
function stockingsState(openWear: Entry | null, offToday: Entry | null, zone: string, today: string): string {
  const at = (iso: string) => {
    const d = new Date(iso);
    const sameDay = localParts(d, zone).date === today;
    return formatInZone(d, zone, sameDay ? { date: false } : { weekday: true, year: false });
  };
  const label = (iso: string) => zoneLabel(clockZone(zone), new Date(iso));
  if (openWear) {
    const since = String(openWear.data.started_at ?? openWear.at);
    return S.stockingsOnSince(at(since), label(since));
  }
  if (offToday) {
    const since = String(offToday.data.ended_at);
    return S.stockingsOffSince(at(since), label(since));
  }
  return S.stockingsNotLogged;
}

function Stockings({ openWear, offToday, zone, today }: { openWear: Entry | null; offToday: Entry | null; zone: string; today: string }) {
  const { profile } = useStore(app);
  const [asking, setAsking] = useState(false);
  const remembered = readJson<StockingChoice>(LAST_STOCKINGS);
  const [choice, setChoice] = useState<StockingChoice>(
    remembered ?? { pressure_class: profile?.compression_class ?? '15-20', garment: 'knee', legs: 'both' },
  );

  const tile = useRef<HTMLDivElement>(null);
  const putOn = async (c: StockingChoice) => {
    writeJson(LAST_STOCKINGS, c);
    setAsking(false);
    // The sheet's button goes away with the sheet: the focus goes back to the tile's own button (and the
    // toast keeps clear of it).
    requestAnimationFrame(() => tile.current?.querySelector<HTMLElement>('.btn')?.focus());
    await logEntry('compression', { started_at: nowIso(), ended_at: null, ...c }, strings.saved.stockingsOn);
  };
  const onClick = () => {
    if (openWear) {
      void patchEntry('compression', openWear.id, { ended_at: nowIso() }, strings.saved.stockingsOff);
      return;
    }
    const known = remembered ?? (profile?.compression_class ? { pressure_class: profile.compression_class, garment: 'knee' as Garment, legs: 'both' as Side } : null);
    if (known) void putOn(known);
    else setAsking(true);
  };
  const on = openWear !== null;
  return (
    <div class="quick-wrap wide">
      {/* The state in bold (the truth), the action on a button of its own. */}
      <div class={`quick stockings-tile${on ? ' is-on' : ''}`} role="group" aria-labelledby="stockings-state" ref={tile}>
        <Icon name="stockings" size={40} />
        <p class="stockings-state">
          <strong id="stockings-state" data-testid="stockings-status" data-state={on ? 'on' : offToday ? 'off' : 'unknown'}>
            {stockingsState(openWear, offToday, zone, today)}
          </strong>
        </p>
        <Button kind={on ? 'secondary' : 'primary'} testid="quick-stockings" onClick={onClick} disabled={asking}>
          {on ? S.takeStockingsOff : S.putStockingsOn}
        </Button>
      </div>
      {asking && (
        <div class="card sheet" role="group" aria-labelledby="stockings-q">
          <h2 id="stockings-q">{S.stockingsFirstTime}</h2>
          <Select label={strings.fields.pressureClass} name="pressure_class" value={choice.pressure_class} options={PRESSURES} onValue={(pressure_class) => setChoice({ ...choice, pressure_class })} />
          <Select label={strings.fields.garment} name="garment" value={choice.garment} options={GARMENTS} onValue={(garment) => setChoice({ ...choice, garment })} />
          <Choice legend={strings.fields.legs} name="legs" options={SIDES} value={choice.legs} onValue={(legs) => setChoice({ ...choice, legs: legs as Side })} columns={3} />
          <div class="row">
            <Button kind="primary" onClick={() => void putOn(choice)}>
              {S.startStockings}
            </Button>
            <Button onClick={() => setAsking(false)}>{strings.cancel}</Button>
          </div>
        </div>
      )}
    </div>
  );
}

interface Timer {
  start: number;
  aboveHeart: boolean;
}

function Elevate() {
  const [timer, setTimer] = useState<Timer | null>(() => readJson<Timer>(ELEVATION_KEY));
  const [aboveHeart, setAboveHeart] = useState(true);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (!timer) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [timer]);

  const finish = async (t: Timer, minutes: number) => {
    writeJson(ELEVATION_KEY, null);
    setTimer(null);
    await logEntry(
      'elevations',
      { started_at: new Date(t.start).toISOString(), duration_minutes: minutes, above_heart: t.aboveHeart },
      strings.saved.elevation(minutes),
    );
  };

  const elapsed = timer ? now - timer.start : 0;
  const total = ELEVATION_MINUTES * 60_000;
  useEffect(() => {
    if (timer && elapsed >= total) void finish(timer, ELEVATION_MINUTES);
  }, [timer, elapsed >= total]);

  if (!timer) {
    return (
      <div class="quick-wrap">
        <button
          type="button"
          class="quick"
          data-testid="quick-elevate"
          onClick={() => {
            const t = { start: Date.now(), aboveHeart };
            writeJson(ELEVATION_KEY, t);
            setNow(t.start);
            setTimer(t);
          }}
        >
          <Icon name="elevate" size={40} />
          <span class="quick-label">{S.elevate}</span>
          <span class="quick-sub">{S.elevateHint}</span>
        </button>
        <Checkbox label={S.aboveHeart} name="above_heart" checked={aboveHeart} onValue={setAboveHeart} />
      </div>
    );
  }
  const left = Math.max(0, total - elapsed);
  const mm = Math.floor(left / 60_000);
  const ss = Math.floor((left % 60_000) / 1000);
  const text = `${mm}:${String(ss).padStart(2, '0')}`;
  return (
    <div class="quick-wrap timer" data-testid="elevate-timer">
      <p class="timer-text" role="timer" aria-live="off">
        {S.elevating(text)}
      </p>
      <progress max={total} value={elapsed} aria-label={S.elevating(text)} />
      <Button
        kind="primary"
        testid="elevate-stop"
        onClick={() => void finish(timer, Math.max(1, Math.min(ELEVATION_MINUTES, Math.round(elapsed / 60_000))))}
      >
        {S.stopElevate}
      </Button>
      <Button
        kind="link"
        onClick={() => {
          writeJson(ELEVATION_KEY, null);
          setTimer(null);
          toast(S.cancelElevate);
        }}
      >
        {S.cancelElevate}
      </Button>
    </div>
  );
}
