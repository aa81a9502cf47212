// Form controls: every control has a visible <label> (or a fieldset legend), errors sit next to their
// field (aria-describedby, aria-invalid), and tap targets are at least 44 px (styles.css).

import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client';
import { NOTES_MAX, noteState } from '../logic/notes';
import { strings } from '../strings';

export type FieldErrors = Record<string, string[]>;

export function fieldErrors(error: unknown): FieldErrors {
  return error instanceof ApiError ? error.fields : {};
}

/** The ids of the hint and the error messages that describe a field, for aria-describedby. */
function describedBy(id: string, hint: string | undefined, messages?: string[]): string | undefined {
  return [hint ? `${id}-hint` : '', messages?.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
}

function Errors({ id, messages, testid }: { id: string; messages?: string[]; testid?: string }) {
  if (!messages?.length) return null;
  return (
    <p class="field-error" id={id} data-testid={testid}>
      <span aria-hidden="true">⚠ </span>
      {messages.join(' ')}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'number' | 'time' | 'datetime-local' | 'date' | 'search';
  errors?: FieldErrors;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'text' | 'tel';
  min?: string | number;
  max?: string | number;
  step?: string | number;
  placeholder?: string;
  testid?: string;
  spellcheck?: boolean;
  autocapitalize?: 'none' | 'off' | 'on' | 'sentences' | 'words' | 'characters';
}

export function TextField(p: TextFieldProps) {
  const id = useId();
  const messages = p.errors?.[p.name];
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      <input
        id={id}
        name={p.name}
        // Preact 11 types <input> per `type` (a discriminated union); one member stands for all of ours.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
        autocomplete={p.autocomplete}
        required={p.required}
        inputMode={p.inputMode}
        min={p.min}
        max={p.max}
        step={p.step}
        placeholder={p.placeholder}
        spellcheck={p.spellcheck}
        autocapitalize={p.autocapitalize}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={describedBy(id, p.hint, messages)}
        data-testid={p.testid}
      />
      <Errors id={`${id}-err`} messages={messages} />
    </div>
  );
}

/**
 * A note: the count of its limit under the box ("1,921 of 2,000 characters"), read out politely once the
 * typing pauses near the limit; past it, a message naming the field. Nothing is ever cut (no maxLength:
 * a paste past the limit stays whole in the box), and the form refuses to save it (notesOverLimit).
 */
export function TextArea(p: { label: string; name: string; value: string; onValue: (v: string) => void; errors?: FieldErrors; max?: number }) {
  const id = useId();
  const limit = noteState(p.value, p.max ?? NOTES_MAX);
  const tooLong = limit.over ? strings.noteLimit.tooLong(p.label, limit.excess, limit.max) : null;
  const messages = [...(tooLong ? [tooLong] : []), ...(p.errors?.[p.name] ?? [])];
  const said = useSettled(limit.near ? (tooLong ?? strings.noteLimit.left(limit.max - limit.length)) : '');
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {/* Above the box: brought into view with the label when Save is refused, however tall the box. */}
      <Errors id={`${id}-err`} messages={messages} testid={`${p.name}-error`} />
      <textarea
        id={id}
        name={p.name}
        rows={3}
        value={p.value}
        onInput={(e) => p.onValue((e.currentTarget as HTMLTextAreaElement).value)}
        aria-invalid={messages.length ? true : undefined}
        aria-describedby={[`${id}-count`, messages.length ? `${id}-err` : ''].filter(Boolean).join(' ')}
        data-testid={`${p.name}-input`}
      />
      <p class={`hint note-count${limit.over ? ' is-over' : ''}`} id={`${id}-count`} data-testid={`${p.name}-count`}>
        {strings.noteLimit.count(limit.length, limit.max)}
      </p>
      <p class="visually-hidden" aria-live="polite" data-testid={`${p.name}-announce`}>
        {said}
      </p>
    </div>
  );
}

/** `text` once it has stayed the same for `ms`: a live region that speaks when the typing pauses, not at every key. */
function useSettled(text: string, ms = 1000): string {
  const [settled, setSettled] = useState('');
  useEffect(() => {
    if (!text) {
      setSettled('');
      return;
    }
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

export interface Option<T extends string | number> {
  value: T;
  label: string;
}

/** A group of big radio buttons in a fieldset (one tap each). */
export function Choice<T extends string | number>(p: {
  legend: string;
  name: string;
  options: Array<Option<T>>;
  value: T | null;
  onValue: (value: T) => void;
  errors?: FieldErrors;
  hint?: string;
  testid?: string;
  columns?: number;
  /** A way back to "not said" once an option is chosen (nothing chosen is an answer of its own). */
  clear?: { label: string; onClear: () => void };
  /** Short labels ("Left", a 0–10 scale): the tick sits in the corner, so a chosen option keeps its width. */
  compact?: boolean;
}) {
  const id = useId();
  const messages = p.errors?.[p.name];
  // The narrowest an option may get before its word would break ("Rig-ht" at 200% text): fewer columns
  // then, never split words. At most 0.68em a character in bold, the inline tick's two, and the padding.
  const longest = Math.max(1, ...p.options.map((o) => o.label.length)) + (p.compact ? 0 : 2);
  const style: Record<string, string> = { '--min': `calc(${(longest * 0.68).toFixed(2)}em + 0.6rem + 4px)` };
  if (p.columns) style['--cols'] = String(p.columns);
  return (
    <fieldset
      class="choice"
      data-testid={p.testid}
      data-unset={p.value === null ? 'true' : undefined}
      aria-describedby={describedBy(id, p.hint, messages)}
      style={style}
    >
      <legend>{p.legend}</legend>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      <div class="choice-options">
        {p.options.map((o) => (
          <label class={`choice-option${p.value === o.value ? ' selected' : ''}${p.compact ? ' compact' : ''}`} key={String(o.value)}>
            <input
              type="radio"
              name={`${p.name}-${id}`}
              value={String(o.value)}
              checked={p.value === o.value}
              onChange={() => p.onValue(o.value)}
            />
            <span>
              {p.value === o.value && !p.compact && <span aria-hidden="true">✓ </span>}
              {o.label}
            </span>
          </label>
        ))}
      </div>
      {p.clear && p.value !== null && (
        <button type="button" class="btn btn-link choice-clear" onClick={p.clear.onClear} data-testid={p.testid ? `${p.testid}-clear` : undefined}>
          {p.clear.label}
        </button>
      )}
      <Errors id={`${id}-err`} messages={messages} />
    </fieldset>
  );
}

export function Checkbox(p: {
  label: string;
  name: string;
  checked: boolean;
  onValue: (v: boolean) => void;
  errors?: FieldErrors;
  testid?: string;
  hint?: string;
}) {
  const id = useId();
  const messages = p.errors?.[p.name];
  return (
    <div class="field checkbox">
      <input
        id={id}
        type="checkbox"
        name={p.name}
        checked={p.checked}
        onChange={(e) => p.onValue((e.currentTarget as HTMLInputElement).checked)}
        aria-describedby={describedBy(id, p.hint, messages)}
        data-testid={p.testid}
      />
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      <Errors id={`${id}-err`} messages={messages} />
    </div>
  );
}

export function Range(p: {
  label: string;
  name: string;
  value: number;
  onValue: (v: number) => void;
  min?: number;
  max?: number;
  valueText: (v: number) => string;
  hint?: string;
  errors?: FieldErrors;
  testid?: string;
}) {
  const id = useId();
  const messages = p.errors?.[p.name];
  return (
    <div class="field range">
      <label for={id}>
        {p.label} <output for={id}>{p.valueText(p.value)}</output>
      </label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      <input
        id={id}
        type="range"
        name={p.name}
        min={p.min ?? 0}
        max={p.max ?? 10}
        step={1}
        value={p.value}
        aria-valuetext={p.valueText(p.value)}
        aria-describedby={describedBy(id, p.hint, messages)}
        onInput={(e) => p.onValue(Number((e.currentTarget as HTMLInputElement).value))}
        data-testid={p.testid}
      />
      <Errors id={`${id}-err`} messages={messages} />
    </div>
  );
}

export function Select<T extends string>(p: {
  label: string;
  name: string;
  value: T;
  options: Array<Option<T>>;
  onValue: (v: T) => void;
  errors?: FieldErrors;
  hint?: string;
  testid?: string;
}) {
  const id = useId();
  const messages = p.errors?.[p.name];
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
      <select
        data-testid={p.testid}
        id={id}
        name={p.name}
        value={p.value}
        onChange={(e) => p.onValue((e.currentTarget as HTMLSelectElement).value as T)}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={describedBy(id, undefined, messages)}
      >
        {p.options.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Errors id={`${id}-err`} messages={messages} />
    </div>
  );
}

/** The form-level error: the plain sentence, plus field messages no visible field shows. */
export function FormError({ error, shownFields = [], saved }: { error: unknown; shownFields?: string[]; saved?: boolean }) {
  if (!error) return null;
  const extra =
    error instanceof ApiError
      ? Object.entries(error.fields).filter(([name]) => !shownFields.includes(name))
      : [];
  return (
    <div class="form-error" role="alert">
      <p>{errorMessage(error, { saved })}</p>
      {extra.length > 0 && (
        <ul>
          {extra.map(([name, messages]) => (
            <li key={name}>{messages.join(' ')}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Button(p: {
  children: ComponentChildren;
  onClick?: () => void;
  type?: 'button' | 'submit';
  kind?: 'primary' | 'secondary' | 'danger' | 'link';
  disabled?: boolean;
  testid?: string;
  busy?: boolean;
  class?: string;
  ariaLabel?: string;
  ariaPressed?: boolean;
}) {
  return (
    <button
      type={p.type ?? 'button'}
      class={`btn btn-${p.kind ?? 'secondary'}${p.class ? ` ${p.class}` : ''}`}
      onClick={p.onClick}
      disabled={p.disabled || p.busy}
      aria-busy={p.busy ? true : undefined}
      aria-label={p.ariaLabel}
      aria-pressed={p.ariaPressed}
      data-testid={p.testid}
    >
      {p.children}
    </button>
  );
}

