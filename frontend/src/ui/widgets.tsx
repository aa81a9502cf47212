// Shared pieces of the screens: the page frame, links, the sync status, the urgent banner, insight cards,
// inline confirmations and the bottom tab bar.

import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Acknowledgement, Insight } from '../api/types';
import {
  acknowledge,
  acknowledging,
  bannerOrder,
  foldedLine,
  isAcknowledged,
  withStoredAcknowledgement,
  type UrgentItem,
} from '../logic/acknowledge';
import { callLinks, type CallLink } from '../logic/emergency';
import { clockZone, deviceTimeZone, formatWithZone } from '../logic/time';
import type { LocalInsight } from '../logic/urgent';
import { syncStatus } from '../logic/syncStatus';
import { linkClick, useRoute } from '../router';
import { app, toastOnNavigation, toastStays } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button } from './form';
import { Icon } from './icons';

/** A screen: its h1 takes the focus on arrival, so screen readers announce the new page. */
export function Page(p: {
  title: string;
  children: ComponentChildren;
  intro?: string;
  titleTestid?: string;
  testid?: string;
  /** Shown above the heading (a "back" link). */
  lead?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${p.title} · ${strings.appName}`;
    heading.current?.focus({ preventScroll: true });
  }, [p.title]);
  return (
    <section class="page" aria-labelledby="page-title" data-testid={p.testid}>
      {p.lead}
      <h1 id="page-title" tabIndex={-1} ref={heading} data-testid={p.titleTestid}>
        {p.title}
      </h1>
      {p.intro && <p class="intro">{p.intro}</p>}
      {p.children}
    </section>
  );
}

export function A(p: { href: string; children: ComponentChildren; class?: string; testid?: string; ariaCurrent?: boolean }) {
  return (
    <a
      href={p.href}
      class={p.class}
      onClick={(e) => linkClick(e as unknown as MouseEvent, p.href)}
      data-testid={p.testid}
      aria-current={p.ariaCurrent ? 'page' : undefined}
    >
      {p.children}
    </a>
  );
}

export function SyncStatus() {
  const s = useStore(app);
  // One status at a time, from one derived state (logic/syncStatus.ts).
  const status = syncStatus(s);
  const { pending } = status;
  const T = strings.sync;
  const text =
    status.kind === 'attention'
      ? T.needsAttention(status.attention)
      : status.kind === 'signIn'
        ? T.signInToSend
        : status.kind === 'sending'
          ? T.sending
          : status.kind === 'offline'
            ? T.offline
            : status.kind === 'waiting'
              ? T.waiting(pending)
              : T.allSaved;
  // The count shows beside a status about sending; beside "needs attention" it would be a second status.
  const badge = pending > 0 && status.kind !== 'attention';
  return (
    <div class={`sync-status tone-${status.tone}`} data-testid="sync-status" data-status={status.kind} role="status" aria-live="polite">
      <span class="sync-dot" aria-hidden="true">
        {status.tone === 'ok' ? '✓' : '!'}
      </span>
      {status.kind === 'attention' ? (
        <A href="/history" class="attention" testid="sync-attention">
          {text}
        </A>
      ) : (
        <span data-testid="sync-text">{text}</span>
      )}
      <span class={badge ? 'count-badge' : 'visually-hidden'} data-testid="pending-count" aria-label={`${T.pendingLabel}: ${pending}`}>
        {pending}
      </span>
    </div>
  );
}

export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function overlap(a: Box, b: Box): number {
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  return h > 0 && w > 0 ? h * w : 0;
}

/** Where the toast goes: above the tab bar, unless there it would cover what must stay clear (the focused
 * field, a primary button) and under the header it would cover less. */
export function toastSide(atBottom: Box, atTop: Box, keepClear: Box[]): 'bottom' | 'top' {
  const cost = (box: Box) => keepClear.reduce((sum, k) => sum + overlap(box, k), 0);
  const bottom = cost(atBottom);
  return bottom > 0 && cost(atTop) < bottom ? 'top' : 'bottom';
}

const FIELDS = 'input, select, textarea, [contenteditable="true"]';

function keepClearBoxes(): Box[] {
  const boxes: Box[] = [];
  const focused = document.activeElement;
  // The focused field, or the button just tapped (its new state is what the toast talks about).
  if (focused instanceof HTMLElement && focused.matches(`${FIELDS}, button, a.btn`) && !focused.closest('.toast-region')) {
    boxes.push(focused.getBoundingClientRect());
  }
  for (const button of document.querySelectorAll<HTMLElement>('main .btn-primary')) {
    const box = button.getBoundingClientRect();
    if (box.height > 0 && box.bottom > 0 && box.top < innerHeight) boxes.push(box);
  }
  return boxes;
}

export function ToastRegion() {
  const { toast } = useStore(app);
  const { path } = useRoute();
  const region = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ side: 'bottom' | 'top'; top: number }>({ side: 'bottom', top: 0 });
  // A toast belongs to its screen: gone on navigation, unless its undo still applies (state.ts).
  useEffect(() => toastOnNavigation(path), [path]);
  // The sticky header's height, for scroll-padding-top: a field scrolled to on focus is not left under it
  // (at 200% text the header takes three lines).
  useEffect(() => {
    const header = document.querySelector<HTMLElement>('.topbar');
    if (!header || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() =>
      document.documentElement.style.setProperty('--topbar-h', `${header.getBoundingClientRect().height}px`),
    );
    observer.observe(header);
    return () => observer.disconnect();
  }, []);
  const shown = toast && toastStays(toast, path) ? toast : null;

  useLayoutEffect(() => {
    if (!shown) return;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const box = region.current?.querySelector('.toast')?.getBoundingClientRect();
        if (!box) return;
        const header = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
        const tabbar = document.querySelector('.tabbar')?.getBoundingClientRect().top ?? innerHeight;
        const gap = 12;
        const height = box.height;
        const atBottom = { left: box.left, right: box.right, bottom: tabbar - gap, top: tabbar - gap - height };
        const atTop = { left: box.left, right: box.right, top: header + gap, bottom: header + gap + height };
        const side = toastSide(atBottom, atTop, keepClearBoxes());
        setPlace({ side, top: header + gap });
        // A focused field still under the toast (a small screen at 200% text has room for little else):
        // scrolled into the band the toast leaves free, when it fits there.
        const focused = document.activeElement;
        if (!(focused instanceof HTMLElement) || !focused.matches(FIELDS)) return;
        const f = focused.getBoundingClientRect();
        const toastBox = side === 'bottom' ? atBottom : atTop;
        if (!overlap(f, toastBox)) return;
        const [from, to] = side === 'bottom' ? [header + gap, atBottom.top - gap] : [atTop.bottom + gap, tabbar - gap];
        if (f.height > to - from) return;
        scrollBy({ top: side === 'bottom' ? f.bottom - to : f.top - from });
      });
    };
    measure();
    document.addEventListener('focusin', measure);
    addEventListener('scroll', measure, { passive: true });
    addEventListener('resize', measure);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('focusin', measure);
      removeEventListener('scroll', measure);
      removeEventListener('resize', measure);
    };
  }, [shown?.id, path]);

  return (
    <div
      ref={region}
      class={`toast-region${shown && place.side === 'top' ? ' at-top' : ''}`}
      style={shown && place.side === 'top' ? { top: `${place.top}px` } : undefined}
      aria-live="polite"
      role="status"
      data-testid="toast"
      data-side={shown ? place.side : undefined}
    >
      {shown && (
        <p class="toast" key={shown.id}>
          <span class="toast-text">{shown.text}</span>
          {shown.action && (
            <button type="button" class="toast-action" data-testid="toast-action" onClick={shown.action.run}>
              {shown.action.label}
            </button>
          )}
        </p>
      )}
    </div>
  );
}

export function UpdateBanner({ onUpdate }: { onUpdate: () => void }) {
  const { updateReady } = useStore(app);
  if (!updateReady) return null;
  return (
    <div class="update-banner" role="status">
      <span>{strings.sync.updateReady}</span>
      <Button kind="primary" onClick={onUpdate}>
        {strings.sync.updateNow}
      </Button>
    </div>
  );
}

type UrgentLike = UrgentItem;

/**
 * The urgent warning: cannot be missed (role="alert", high contrast, big text), says what to do now, and
 * offers the emergency number of the patient's country as one tap (112 and 911 spelled out when unknown).
 * "I got help" / "I have seen a doctor" fold a warning to one line that still opens the full text and the
 * call; a warning raised again by a new urgent check-in comes back in full. Full warnings come first.
 * Compact (Today): the "why" is one tap away, so the quick actions stay in reach.
 */
export function UrgentBanner({ insights, compact = false }: { insights: UrgentLike[]; compact?: boolean }) {
  const { profile, insights: stored } = useStore(app);
  const { busy, problems } = useStore(acknowledging);
  if (!insights.length) return null;
  const items = bannerOrder(insights.map((i) => withStoredAcknowledgement(i, stored)));
  const links = callLinks(profile);
  const allFolded = items.every(isAcknowledged);
  const number = links.map((l) => l.number).join(` ${strings.acknowledge.or} `);
  // The patient's own clock, labelled ("3 Dec, 12:00 Berlin time"), as every time she is shown.
  const zone = clockZone(profile?.timezone ?? deviceTimeZone());
  return (
    <div
      class={`urgent-banner${allFolded ? ' is-folded' : ''}${compact ? ' is-compact' : ''}`}
      role={allFolded ? 'region' : 'alert'}
      aria-label={allFolded ? strings.urgent.label : undefined}
      data-testid="urgent-banner"
    >
      {items.map((i, index) =>
        isAcknowledged(i) ? (
          <details class="urgent-item urgent-folded" key={i.code} data-code={i.code} data-state="acknowledged">
            <summary data-testid="urgent-folded">
              <span aria-hidden="true">⚠ </span>
              <span class="urgent-folded-line">{foldedLine(i)}</span>
              <span aria-hidden="true">
                {' · '}
                <span class="urgent-folded-toggle">
                  <span class="when-closed">{strings.acknowledge.show}</span>
                  <span class="when-open">{strings.acknowledge.hide}</span>
                </span>
              </span>
            </summary>
            <h2>{i.title}</h2>
            <UrgentAction item={i} />
            <CallLinks links={links} />
            <p>{i.explanation}</p>
            <p class="urgent-ack-when">
              {strings.acknowledge.when(formatWithZone(i.acknowledged_at, zone, { year: false }))}
            </p>
          </details>
        ) : (
          <div class="urgent-item" key={i.code} data-code={i.code} data-state="full">
            <p class="urgent-label">
              <span aria-hidden="true">⚠ </span>
              {strings.urgent.label}
            </p>
            {/* Compact (Today, under the Cramp button): the call comes straight after the label, so it is on
                the first screen even at 200% text; the title follows, and the longer next step and the
                "why" are one tap away. */}
            {compact && index === 0 && <CallLinks links={links} quiet />}
            <h2>{i.title}</h2>
            {!compact && <UrgentAction item={i} />}
            {/* Once, under the first (the most urgent) full warning's next step: in reach before any "why". */}
            {!compact && index === 0 && <CallLinks links={links} />}
            <AcknowledgeButtons
              code={i.code}
              busy={busy?.code === i.code ? busy.action : null}
              disabled={busy !== null}
              problem={problems[i.code]}
              number={number}
            />
            {compact ? (
              <details>
                <summary>{strings.urgent.moreWithAction}</summary>
                <UrgentAction item={i} />
                <p>{i.explanation}</p>
              </details>
            ) : (
              <p>{i.explanation}</p>
            )}
          </div>
        ),
      )}
    </div>
  );
}

function UrgentAction({ item }: { item: UrgentLike }) {
  return (
    <p class="urgent-action">
      <strong>{strings.urgent.whatToDo}: </strong>
      {item.action ?? actionFor(item.code)}
    </p>
  );
}

/** The patient's answer: sent now (it needs a connection), never queued as if done. */
function AcknowledgeButtons(p: {
  code: string;
  busy: Acknowledgement | null;
  disabled: boolean;
  problem?: string;
  number: string;
}) {
  const A = strings.acknowledge;
  const send = (action: Acknowledgement) =>
    void acknowledge(p.code, action, p.number).then((done) => {
      requestAnimationFrame(() => {
        const item = document.querySelector<HTMLElement>(`[data-code="${p.code}"]`);
        // Folded, the buttons are gone: the focus goes to its one line, not to the top of the page. Not
        // saved: the sentence saying why comes into view above the tab bar.
        if (done) item?.querySelector<HTMLElement>(':scope > summary')?.focus();
        else item?.querySelector('.urgent-ack-problem')?.scrollIntoView({ block: 'nearest' });
      });
    });
  return (
    <div class="urgent-ack" role="group" aria-label={A.question}>
      <p class="urgent-ack-question">{A.question}</p>
      <div class="urgent-ack-buttons">
        <Button
          class="btn-urgent-ack"
          busy={p.busy === 'got_help'}
          disabled={p.disabled}
          testid="ack-got-help"
          onClick={() => send('got_help')}
        >
          {p.busy === 'got_help' ? A.sending : A.gotHelp}
        </Button>
        <Button
          class="btn-urgent-ack"
          busy={p.busy === 'seen_doctor'}
          disabled={p.disabled}
          testid="ack-seen-doctor"
          onClick={() => send('seen_doctor')}
        >
          {p.busy === 'seen_doctor' ? A.sending : A.seenDoctor}
        </Button>
      </div>
      {p.problem && (
        <p class="urgent-ack-problem" role="status" data-testid="ack-problem">
          {p.problem}
        </p>
      )}
    </div>
  );
}

/** The tap-to-call links: real tel: links, so one tap opens the phone's dialler with the number in it. */
/** The call buttons; `quiet` (Today's compact banner, right under its label) leaves the intro to screen
 * readers, so the buttons themselves reach the first screen at 200% text. */
export function CallLinks({ links, quiet = false }: { links: CallLink[]; quiet?: boolean }) {
  return (
    <div class="urgent-call" data-testid="urgent-call">
      <p class={quiet ? 'visually-hidden' : 'urgent-call-intro'}>{strings.urgent.callIntro}</p>
      <div class="urgent-call-links">
        {links.map((l) => (
          <a class="urgent-call-link" href={l.href} key={l.href} data-testid="call-link">
            <span class="urgent-call-number">{l.label}</span>
            {l.where && (
              <>
                {' '}
                <span class="urgent-call-where">{l.where}</span>
              </>
            )}
          </a>
        ))}
      </div>
    </div>
  );
}

function actionFor(code: string): string {
  return code === 'emergency_warning' ? strings.urgent.emergencyAction : strings.urgent.dvtAction;
}

export function urgentOf(insights: Array<Insight | LocalInsight> | null | undefined): UrgentLike[] {
  return (insights ?? []).filter((i) => i.level === 'urgent');
}

export function InsightCard({ insight }: { insight: Insight }) {
  return (
    <article class={`insight level-${insight.level}`} data-testid="insight-card" data-code={insight.code}>
      <p class="insight-level">{strings.trends.level[insight.level] ?? insight.level}</p>
      <h3>{insight.title}</h3>
      <p>{insight.explanation}</p>
    </article>
  );
}

/** A two-step action: the first button reveals a question with a clear yes and no. */
export function Confirm(p: {
  question: string;
  yes: string;
  no: string;
  onYes: () => void | Promise<void>;
  onNo: () => void;
  danger?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.querySelector<HTMLButtonElement>('button')?.focus(), []);
  return (
    <div class="confirm" role="group" aria-label={p.question} ref={ref}>
      <p>{p.question}</p>
      <div class="row">
        <Button
          kind={p.danger ? 'danger' : 'primary'}
          busy={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await p.onYes();
            } finally {
              setBusy(false);
            }
          }}
        >
          {p.yes}
        </Button>
        <Button onClick={p.onNo}>{p.no}</Button>
      </div>
    </div>
  );
}

/**
 * "Discard this cramp?": a small modal dialog (the browser's own <dialog>: focus moves in and stays, Escape
 * answers Keep editing, the page behind is inert), never the native confirm(). The safe answer comes first
 * and takes the focus.
 */
export function DiscardDialog(p: { title: string; onAnswer: (answer: 'keep' | 'discard') => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="discard-dialog"
      aria-labelledby="discard-title"
      aria-describedby="discard-body"
      data-testid="discard-dialog"
      onCancel={(e) => {
        e.preventDefault();
        p.onAnswer('keep');
      }}
    >
      <h2 id="discard-title">{p.title}</h2>
      <p id="discard-body">{strings.leaveForm.body}</p>
      <div class="discard-actions">
        <Button kind="primary" onClick={() => p.onAnswer('keep')} testid="keep-editing">
          {strings.leaveForm.keep}
        </Button>
        <Button kind="danger" onClick={() => p.onAnswer('discard')} testid="discard">
          {strings.leaveForm.discard}
        </Button>
      </div>
    </dialog>
  );
}

/**
 * A form's Save and Cancel, held at the bottom of the screen above the tab bar wherever the person has
 * scrolled to (and in their place at the form's end). Its height and the top bar's are kept in
 * --form-actions-h and --sticky-top-h, so a field scrolled into view (focus, the on-screen keyboard) stops
 * between them, not under either (styles.css).
 */
export function FormActions({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = document.documentElement;
    const bar = ref.current;
    if (!bar) return;
    // The sticky top bar too: its height changes with the text size and the sync status' words.
    const top = document.querySelector<HTMLElement>('.topbar');
    root.classList.add('has-form-actions');
    const measure = () => {
      root.style.setProperty('--form-actions-h', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
      root.style.setProperty('--sticky-top-h', `${Math.ceil(top?.getBoundingClientRect().height ?? 0)}px`);
    };
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(bar);
    if (top) observer?.observe(top);
    return () => {
      observer?.disconnect();
      root.classList.remove('has-form-actions');
      root.style.removeProperty('--form-actions-h');
      root.style.removeProperty('--sticky-top-h');
    };
  }, []);
  return (
    <div class="form-actions" ref={ref} data-testid="form-actions">
      {children}
    </div>
  );
}

const TABS = [
  { href: '/', label: strings.nav.today, match: ['/', '/cramp', '/checkin'], id: 'today' },
  { href: '/history', label: strings.nav.history, match: ['/history'], id: 'history' },
  { href: '/trends', label: strings.nav.trends, match: ['/trends'], id: 'trends' },
  { href: '/reminders', label: strings.nav.reminders, match: ['/reminders'], id: 'reminders' },
  { href: '/more', label: strings.nav.more, match: ['/more', '/sharing', '/profile', '/medicines'], id: 'more' },
];

export function TabBar() {
  const { path } = useRoute();
  return (
    <nav class="tabbar" aria-label={strings.nav.label}>
      <ul>
        {TABS.map((t) => {
          const active = t.match.includes(path);
          return (
            <li key={t.href}>
              <A href={t.href} class={active ? 'active' : undefined} ariaCurrent={active} testid={`tab-${t.id}`}>
                <Icon name={t.id} size={26} />
                <span class="tab-label">{t.label}</span>
              </A>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
