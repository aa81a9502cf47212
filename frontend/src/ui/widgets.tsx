// Shared pieces of the screens: the page frame, links, the sync status, the urgent banner, insight cards,
// inline confirmations and the bottom tab bar.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Insight } from '../api/types';
import { callLinks, type CallLink } from '../logic/emergency';
import type { LocalInsight } from '../logic/urgent';
import { linkClick, useRoute } from '../router';
import { app } from '../state';
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
  const pending = s.queue.filter((i) => i.status === 'pending').length;
  const attention = s.queue.filter((i) => i.status !== 'pending').length;
  let text: string;
  let tone = 'ok';
  if (s.authRequired && pending) {
    text = strings.sync.signInToSend;
    tone = 'warn';
  } else if (!s.online) {
    text = strings.sync.offline;
    tone = 'warn';
  } else if (s.syncing && pending) {
    text = strings.sync.sending;
  } else if (pending) {
    text = strings.sync.waiting(pending);
    tone = 'warn';
  } else {
    text = strings.sync.allSaved;
  }
  return (
    <div class={`sync-status tone-${tone}`} data-testid="sync-status" role="status" aria-live="polite">
      <span class="sync-dot" aria-hidden="true">
        {tone === 'ok' ? '✓' : '!'}
      </span>
      <span>{text}</span>
      <span
        class={pending ? 'count-badge' : 'visually-hidden'}
        data-testid="pending-count"
        aria-label={`${strings.sync.pendingLabel}: ${pending}`}
      >
        {pending}
      </span>
      {attention > 0 && (
        <A href="/history" class="attention">
          {strings.sync.needsAttention(attention)}
        </A>
      )}
    </div>
  );
}

export function ToastRegion() {
  const { toast } = useStore(app);
  return (
    <div class="toast-region" aria-live="polite" role="status" data-testid="toast">
      {toast && (
        <p class="toast" key={toast.id}>
          {toast.text}
          {toast.action && (
            <button type="button" class="toast-action" data-testid="toast-action" onClick={toast.action.run}>
              {toast.action.label}
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

type UrgentLike = Pick<Insight, 'code' | 'title' | 'explanation'> & { action?: string };

/**
 * The urgent warning: cannot be missed (role="alert", high contrast, big text), says what to do now, and
 * offers the emergency number of the patient's country as one tap (112 and 911 spelled out when unknown).
 */
export function UrgentBanner({ insights, compact = false }: { insights: UrgentLike[]; compact?: boolean }) {
  const { profile } = useStore(app);
  if (!insights.length) return null;
  return (
    <div class="urgent-banner" role="alert" data-testid="urgent-banner">
      {insights.map((i, index) => (
        <div class="urgent-item" key={i.code} data-code={i.code}>
          <p class="urgent-label">
            <span aria-hidden="true">⚠ </span>
            {strings.urgent.label}
          </p>
          <h2>{i.title}</h2>
          <p class="urgent-action">
            <strong>{strings.urgent.whatToDo}: </strong>
            {i.action ?? actionFor(i.code)}
          </p>
          {/* Once, under the first (the most urgent) warning's next step: in reach before any "why". */}
          {index === 0 && <CallLinks links={callLinks(profile)} />}
          {compact ? (
            <details>
              <summary>{strings.urgent.more}</summary>
              <p>{i.explanation}</p>
            </details>
          ) : (
            <p>{i.explanation}</p>
          )}
        </div>
      ))}
    </div>
  );
}

/** The tap-to-call links: real tel: links, so one tap opens the phone's dialler with the number in it. */
export function CallLinks({ links }: { links: CallLink[] }) {
  return (
    <div class="urgent-call" data-testid="urgent-call">
      <p class="urgent-call-intro">{strings.urgent.callIntro}</p>
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

const TABS = [
  { href: '/', label: strings.nav.today, match: ['/', '/cramp', '/checkin'], id: 'today' },
  { href: '/history', label: strings.nav.history, match: ['/history'], id: 'history' },
  { href: '/trends', label: strings.nav.trends, match: ['/trends'], id: 'trends' },
  { href: '/reminders', label: strings.nav.reminders, match: ['/reminders'], id: 'reminders' },
  { href: '/more', label: strings.nav.more, match: ['/more', '/sharing', '/profile'], id: 'more' },
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

export function formatTime(iso: string | null | undefined, withDate = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, withDate ? { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.round(seconds / 6) / 10;
  return `${min % 1 === 0 ? min.toFixed(0) : min} min`;
}
