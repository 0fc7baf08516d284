import { describe, expect, test } from '@jest/globals';
import { ActionError } from '../../../src/common/errors.js';
import {
  backoffDelay,
  DeadlineError,
  retry,
  withDeadline,
  type RetryOptions,
} from '../../../src/net/retry.js';

const throttled = (n = 0) =>
  Object.assign(new Error(`Rate exceeded #${n}`), { name: 'Throttling' });
const denied = () =>
  Object.assign(new Error('Not authorized to perform sts:AssumeRoleWithWebIdentity'), {
    name: 'AccessDenied',
  });
const isThrottling = (e: unknown) => (e as Error).name === 'Throttling';

/** A fake clock: sleep() records the wait and moves time forward; nothing really waits. */
function harness(overrides: Partial<RetryOptions> = {}, randoms: number[] = [0.5]) {
  let clock = 1_000_000;
  let r = 0;
  const waits: number[] = [];
  const lines: string[] = [];
  const failures: unknown[] = [];
  const options: RetryOptions = {
    what: 'STS AssumeRoleWithWebIdentity',
    maxAttempts: 5,
    deadline: clock + 60_000,
    isRetryable: isThrottling,
    onRetry: (line) => lines.push(line),
    onFailure: (error) => failures.push(error),
    random: () => randoms[Math.min(r++, randoms.length - 1)],
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...overrides,
  };
  return { options, waits, lines, failures, now: () => clock };
}

/** An attempt function that fails with the given errors, then returns 'ok'. */
function script(...errors: Error[]) {
  const calls: number[] = [];
  const attempt = async (n: number) => {
    calls.push(n);
    const error = errors[calls.length - 1];
    if (error) throw error;
    return 'ok';
  };
  return { attempt, calls };
}

describe('backoffDelay (full jitter)', () => {
  test.each<[number, number, number, number]>([
    // attempt, base, cap, exclusive upper bound = min(cap, base * 2^(attempt-1))
    [1, 250, 5000, 250],
    [2, 250, 5000, 500],
    [3, 250, 5000, 1000],
    [5, 250, 5000, 4000],
    [6, 250, 5000, 5000],
    [20, 250, 5000, 5000],
    [1, 1000, 300, 300],
  ])('attempt %d, base %d, cap %d: within [0, %d)', (attempt, base, cap, bound) => {
    for (const random of [0, 0.25, 0.5, 0.999999]) {
      const delay = backoffDelay(attempt, base, cap, () => random);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(bound);
    }
    expect(backoffDelay(attempt, base, cap, () => 0)).toBe(0);
    expect(backoffDelay(attempt, base, cap, () => 0.999999)).toBe(bound - 1);
    expect(backoffDelay(attempt, base, cap, () => 0.5)).toBe(Math.floor(bound / 2));
  });
});

describe('retry', () => {
  test.each([1, 2, 4])('succeeds after %d retryable failures', async (failures) => {
    const h = harness({ maxAttempts: 5 });
    const s = script(...Array.from({ length: failures }, (_, i) => throttled(i)));
    await expect(retry(s.attempt, h.options)).resolves.toBe('ok');
    expect(s.calls).toEqual(Array.from({ length: failures + 1 }, (_, i) => i + 1));
    expect(h.waits).toHaveLength(failures);
    expect(h.lines).toHaveLength(failures);
    expect(h.failures).toHaveLength(failures);
  });

  test('succeeds at once without waiting', async () => {
    const h = harness();
    const s = script();
    await expect(retry(s.attempt, h.options)).resolves.toBe('ok');
    expect(s.calls).toEqual([1]);
    expect(h.waits).toEqual([]);
    expect(h.lines).toEqual([]);
  });

  test.each([1, 2, 3, 5])('stops at maxAttempts = %d and rethrows the last error', async (max) => {
    const h = harness({ maxAttempts: max });
    const errors = Array.from({ length: 10 }, (_, i) => throttled(i));
    const s = script(...errors);
    await expect(retry(s.attempt, h.options)).rejects.toBe(errors[max - 1]);
    expect(s.calls).toHaveLength(max);
    expect(h.waits).toHaveLength(max - 1);
    expect(h.failures).toEqual(errors.slice(0, max));
  });

  test('never retries a non-retryable error', async () => {
    const h = harness({ maxAttempts: 5 });
    const error = denied();
    const s = script(error);
    await expect(retry(s.attempt, h.options)).rejects.toBe(error);
    expect(s.calls).toEqual([1]);
    expect(h.waits).toEqual([]);
    expect(h.lines).toEqual([]);
    expect(h.failures).toEqual([error]);
  });

  test('stops retrying when a non-retryable error follows retryable ones', async () => {
    const h = harness({ maxAttempts: 5 });
    const error = denied();
    const s = script(throttled(), throttled(), error);
    await expect(retry(s.attempt, h.options)).rejects.toBe(error);
    expect(s.calls).toEqual([1, 2, 3]);
    expect(h.waits).toHaveLength(2);
  });

  test('each wait is full jitter within [0, min(cap, base·2^(n-1)))', async () => {
    const randoms = [0.999999, 0.999999, 0.999999, 0.999999, 0.999999, 0];
    const h = harness({ maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 500 }, randoms);
    const s = script(...Array.from({ length: 6 }, (_, i) => throttled(i)));
    await retry(s.attempt, h.options);
    const bounds = [100, 200, 400, 500, 500, 500];
    expect(h.waits).toHaveLength(6);
    h.waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(bounds[i]);
    });
    // random close to 1 gives a wait just under the bound; random = 0 gives no wait at all
    expect(h.waits.slice(0, 5)).toEqual(bounds.slice(0, 5).map((b) => b - 1));
    expect(h.waits[5]).toBe(0);
  });

  test('uses 250 ms base and a 5 s cap by default', async () => {
    const h = harness({ maxAttempts: 10 }, [0.999999]);
    const s = script(...Array.from({ length: 9 }, (_, i) => throttled(i)));
    await retry(s.attempt, h.options);
    expect(h.waits).toEqual([249, 499, 999, 1999, 3999, 4999, 4999, 4999, 4999]);
  });

  test('stops before a wait that would cross the deadline, rethrowing the last error', async () => {
    const start = 1_000_000;
    // base 1000, random 0.99: waits 990, 1980, ... ; a deadline 2.5 s out allows only the first
    const h = harness({ baseDelayMs: 1000, deadline: start + 2500, maxAttempts: 10 }, [0.99]);
    const errors = Array.from({ length: 10 }, (_, i) => throttled(i));
    const s = script(...errors);
    await expect(retry(s.attempt, h.options)).rejects.toBe(errors[1]);
    expect(h.waits).toEqual([990]);
    expect(s.calls).toEqual([1, 2]);
    expect(h.now()).toBeLessThan(start + 2500);
  });

  test('a wait that ends exactly at the deadline is not begun', async () => {
    const start = 1_000_000;
    const h = harness({ baseDelayMs: 1000, deadline: start + 500, maxAttempts: 3 }, [0.5]);
    const s = script(throttled(), throttled());
    await expect(retry(s.attempt, h.options)).rejects.toThrow('Rate exceeded #0');
    expect(h.waits).toEqual([]);
  });

  test('the retry line says what failed, attempt N of M and the wait', async () => {
    const h = harness({ maxAttempts: 3, baseDelayMs: 1000 }, [0.5]);
    const s = script(throttled(1), throttled(2));
    await retry(s.attempt, h.options);
    expect(h.lines).toHaveLength(2);
    expect(h.lines[0]).toContain('STS AssumeRoleWithWebIdentity failed');
    expect(h.lines[0]).toContain('Throttling: Rate exceeded #1');
    expect(h.lines[0]).toContain('attempt 1 of 3');
    expect(h.lines[0]).toContain(`retrying in ${h.waits[0]} ms`);
    expect(h.lines[1]).toContain('Rate exceeded #2');
    expect(h.lines[1]).toContain('attempt 2 of 3');
    expect(h.lines[1]).toContain(`retrying in ${h.waits[1]} ms`);
    expect(h.waits).toEqual([500, 1000]);
  });

  test('really sleeps when no sleep is injected', async () => {
    const s = script(throttled());
    const started = Date.now();
    await retry(s.attempt, {
      what: 'x',
      maxAttempts: 2,
      deadline: Date.now() + 10_000,
      isRetryable: isThrottling,
      baseDelayMs: 40,
      random: () => 0.999,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});

describe('withDeadline', () => {
  test('returns the result when fn finishes in time, without aborting', async () => {
    let seen: AbortSignal | undefined;
    const value = await withDeadline('Logging in', Date.now() + 1000, 1, async (signal) => {
      seen = signal;
      return 42;
    });
    expect(value).toBe(42);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen?.aborted).toBe(false);
  });

  test('rejects with the error of fn when fn fails before the deadline', async () => {
    const error = denied();
    await expect(
      withDeadline('Logging in', Date.now() + 1000, 1, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  test('rejects with DeadlineError at the deadline, aborts the signal, quotes the last failure', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const promise = withDeadline(
      'Logging in to ECR Public',
      Date.now() + 60,
      7,
      (signal, failed) => {
        seen = signal;
        failed(throttled(1));
        failed(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return new Promise<never>(() => undefined);
      },
    );
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toBeInstanceOf(ActionError);
    const e = error as DeadlineError;
    expect(e.message).toContain('Logging in to ECR Public did not succeed within the 7 s deadline');
    expect(e.message).toContain('(last error: ECONNRESET: socket hang up)');
    expect(e.message).not.toContain('Rate exceeded');
    expect(e.fix).toContain('timeout-seconds');
    expect(seen?.aborted).toBe(true);
  });

  test('without a reported failure the message has no "last error"', async () => {
    const error = await withDeadline(
      'Phase',
      Date.now() + 10,
      1,
      () => new Promise(() => undefined),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toBe('Phase did not succeed within the 1 s deadline.');
  });

  test('a deadline already past rejects at once', async () => {
    const started = Date.now();
    await expect(
      withDeadline('Phase', Date.now() - 1000, 1, () => new Promise(() => undefined)),
    ).rejects.toBeInstanceOf(DeadlineError);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('a wait the server asks for (Retry-After)', () => {
  const asked = (ms: number) => Object.assign(throttled(), { retryAfterMs: ms });
  const serverDelayMs = (e: unknown) => (e as { retryAfterMs?: number }).retryAfterMs;

  test('is waited instead of the backoff; errors without one back off as usual', async () => {
    const h = harness({ serverDelayMs });
    const s = script(asked(3000), throttled());
    await expect(retry(s.attempt, h.options)).resolves.toBe('ok');
    expect(h.waits).toEqual([3000, 250]);
  });

  test('one that would pass the deadline is not waited: the error is thrown', async () => {
    const h = harness({ serverDelayMs });
    h.options.deadline = h.now() + 1000;
    const s = script(asked(5000));
    await expect(retry(s.attempt, h.options)).rejects.toThrow('Rate exceeded');
    expect(h.waits).toEqual([]);
  });
});
