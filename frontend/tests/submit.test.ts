// The forms' submit hook: one request at a time, and what a request threw kept for the form (the
// sentence <FormError> shows and the messages next to the fields).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorMessage } from '../src/api/client';
import { strings } from '../src/strings';
import { useSubmit } from '../src/ui/useSubmit';

// No DOM here: the hook runs outside a component, its state kept by call order. One `render()` is one
// render of the form.
const hooks = vi.hoisted(() => ({ slots: [] as unknown[], next: 0 }));
vi.mock('preact/hooks', async (importOriginal) => ({
  ...(await importOriginal<typeof import('preact/hooks')>()),
  useState: (initial: unknown) => {
    const i = hooks.next++;
    if (!(i in hooks.slots)) hooks.slots[i] = initial;
    return [hooks.slots[i], (value: unknown) => (hooks.slots[i] = value)];
  },
  useRef: (initial: unknown) => {
    const i = hooks.next++;
    if (!(i in hooks.slots)) hooks.slots[i] = { current: initial };
    return hooks.slots[i];
  },
}));

function render() {
  hooks.next = 0;
  return useSubmit();
}

beforeEach(() => {
  hooks.slots = [];
});

describe('submitting a form', () => {
  it('sends once when the form is submitted twice before the answer', async () => {
    let answer = () => {};
    const send = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    // The same render's `run` twice: a double tap comes before the busy button is drawn.
    const { run } = render();
    const first = run(send);
    const second = run(send);
    expect(send).toHaveBeenCalledTimes(1);
    expect(render().busy).toBe(true);

    answer();
    await Promise.all([first, second]);
    expect(render()).toMatchObject({ busy: false, error: null, errors: {} });

    await render().run(send.mockResolvedValueOnce(undefined));
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('keeps what the request threw: the sentence the form shows and the messages of its fields', async () => {
    const expired = new ApiError('validation', 400, { new_password: ['This password is too common.'] }, 'The reset link has expired.');
    const clearCode = vi.fn();
    await render().run(() => Promise.reject(expired), clearCode);
    const form = render();
    expect(form.busy).toBe(false);
    expect(form.error).toBe(expired);
    expect(errorMessage(form.error)).toBe('The reset link has expired.');
    expect(form.errors).toEqual({ new_password: ['This password is too common.'] });
    expect(clearCode).toHaveBeenCalledTimes(1);

    await render().run(() => Promise.reject(new ApiError('throttled', 429, {}, undefined, 600)));
    expect(errorMessage(render().error)).toBe('Too many attempts. Try again in 10 minutes.');

    await render().run(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(errorMessage(render().error)).toBe(strings.errors.unknown);
    expect(render().errors).toEqual({});
  });

  it('clears the last error when the form is sent again, and shows a check made before sending', async () => {
    await render().run(() => Promise.reject(new ApiError('server', 500)));
    let answer = () => {};
    const sending = render().run(() => new Promise<void>((resolve) => (answer = resolve)));
    expect(render().error).toBeNull();
    answer();
    await sending;
    expect(render().error).toBeNull();

    const needCode = new ApiError('validation', 400, { otp: [strings.twoFactor.needCode] });
    render().setError(needCode);
    expect(render()).toMatchObject({ busy: false, error: needCode, errors: { otp: [strings.twoFactor.needCode] } });
  });
});
