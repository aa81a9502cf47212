// A form's submit state: busy while its request runs, one request at a time, and the error it threw.

import { useRef, useState } from 'preact/hooks';
import { fieldErrors, type FieldErrors } from './form';

export interface SubmitState {
  /** A request is running: the submit button shows it (busy, disabled). */
  busy: boolean;
  /** What the last request threw, for <FormError> (a sentence in plain words); null while a new one runs. */
  error: unknown;
  /** The per-field messages of that error, for the fields they belong to. */
  errors: FieldErrors;
  /** Shows an error without sending anything (a check before the request). */
  setError: (error: unknown) => void;
  /**
   * Runs `action`, unless one is running already: a second tap or Enter before the first answer sends
   * nothing. A thrown error is kept in `error`, then `onError` runs (to clear a field, say).
   */
  run: (action: () => Promise<void>, onError?: () => void) => Promise<void>;
}

export function useSubmit(): SubmitState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A ref, not `busy`: two submits in the same tick both see the old state.
  const running = useRef(false);
  const run = async (action: () => Promise<void>, onError?: () => void) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
      onError?.();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, errors: fieldErrors(error), setError, run };
}
