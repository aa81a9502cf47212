// A searchable time zone picker: an ARIA combobox over the browser's own list of IANA zones
// (Intl.supportedValuesOf), so only a real zone can be chosen; typing "ber" offers Europe/Berlin.

import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { strings } from '../strings';
import type { FieldErrors } from './form';
import { locale } from '../locale';

const Z = strings.zonePicker;
/** Options drawn at once: enough to scroll through, few enough for an old phone. */
const SHOWN = 60;

/** Every zone this browser knows, plus the ones given (the saved zone, the phone's), sorted. */
export function timeZoneList(extra: string[] = []): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    // An old browser without Intl.supportedValuesOf: only the zones given (and UTC) can be chosen.
  }
  return [...new Set([...zones, ...extra.filter(Boolean), 'UTC'])].sort();
}

/** "America/Argentina/Buenos_Aires" as a person reads it: "America/Argentina/Buenos Aires". */
export function zoneName(zone: string): string {
  return zone.replace(/_/g, ' ');
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/**
 * The zones matching what was typed, best first: a zone with a place name (or a word of one) that begins
 * with the text, then one that contains it; "new york", "new_york" and "New Y" alike. Empty: every zone.
 */
export function filterTimeZones(zones: string[], query: string): string[] {
  const q = fold(query.trim());
  if (!q) return zones;
  const starts: string[] = [];
  const contains: string[] = [];
  for (const zone of zones) {
    const name = fold(zone);
    if (!name.includes(q)) continue;
    const words = name.split(/[/\s-]+/);
    const places = name.split('/');
    if (places.some((p) => p.startsWith(q)) || words.some((w) => w.startsWith(q))) starts.push(zone);
    else contains.push(zone);
  }
  return [...starts, ...contains];
}

function clockIn(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date());
  } catch {
    return null;
  }
}

export function TimeZonePicker(p: {
  label: string;
  name: string;
  value: string;
  onValue: (zone: string) => void;
  errors?: FieldErrors;
  hint?: string;
  testid?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const zones = useMemo(() => timeZoneList([p.value]), []);
  const [text, setText] = useState(zoneName(p.value));
  const [typed, setTyped] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const messages = p.errors?.[p.name];

  // A value changed from outside ("Use this phone's time zone") shows in the box.
  useEffect(() => {
    if (!open) setText(zoneName(p.value));
  }, [p.value]);

  const matches = useMemo(() => filterTimeZones(zones, typed ? text : ''), [zones, text, typed]);
  const shown = matches.slice(0, SHOWN);

  useEffect(() => {
    list.current?.querySelector(`#${CSS.escape(`${id}-opt-${active}`)}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  const choose = (zone: string) => {
    p.onValue(zone);
    setText(zoneName(zone));
    setTyped(false);
    setOpen(false);
  };
  const close = () => {
    setOpen(false);
    setTyped(false);
    setText(zoneName(p.value)); // only a zone from the list is ever taken
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(Math.max(0, shown.indexOf(p.value)));
        return;
      }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.min(Math.max(a + step, 0), Math.max(shown.length - 1, 0)));
    } else if (e.key === 'Enter') {
      if (open && shown[active]) {
        e.preventDefault(); // a choice, not the form's submit
        choose(shown[active]);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        close();
      }
    }
  };

  const describedBy = [`${id}-hint`, `${id}-now`, messages?.length ? `${id}-err` : ''].filter(Boolean).join(' ');
  const clock = clockIn(p.value);
  return (
    <div class="field zone-picker" data-testid={p.testid}>
      <label for={id}>{p.label}</label>
      <p class="hint" id={`${id}-hint`}>
        {p.hint ?? Z.hint}
      </p>
      <input
        id={id}
        name={p.name}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && shown[active] ? `${id}-opt-${active}` : undefined}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={describedBy}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        value={text}
        onInput={(e) => {
          setText((e.currentTarget as HTMLInputElement).value);
          setTyped(true);
          setOpen(true);
          setActive(0);
        }}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={close}
        data-testid={p.testid ? `${p.testid}-input` : undefined}
      />
      <ul id={listId} role="listbox" aria-label={p.label} class="zone-list" ref={list} hidden={!open}>
        {open &&
          shown.map((zone, i) => (
            <li
              key={zone}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={zone === p.value}
              class={`zone-option${i === active ? ' active' : ''}`}
              // Chosen before the input's blur closes the list.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(zone)}
            >
              {zone === p.value && <span aria-hidden="true">✓ </span>}
              {/* A long name breaks after a slash ("Atlantic/ Bermuda"), not inside a word. */}
              {zoneName(zone)
                .split('/')
                .map((part, j, parts) => (j < parts.length - 1 ? [`${part}/`, <wbr key={j} />] : part))}
            </li>
          ))}
      </ul>
      {open && (
        <p class="hint" aria-live="polite">
          {matches.length > SHOWN ? Z.more(SHOWN, matches.length) : Z.matches(matches.length)}
        </p>
      )}
      <p class="hint" id={`${id}-now`}>
        {clock ? Z.nowThere(zoneName(p.value), clock) : ''}
      </p>
      {messages?.length ? (
        <p class="field-error" id={`${id}-err`}>
          <span aria-hidden="true">⚠ </span>
          {messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
