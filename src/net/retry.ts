// Retries with capped exponential backoff, full jitter and one deadline for the whole phase.
import { ActionError, describeError } from '../common/errors.js';

export interface RetryOptions {
  /** What is being attempted, for log lines ("STS AssumeRoleWithWebIdentity"). */
  what: string;
  maxAttempts: number;
  /** Epoch ms after which no attempt starts and no wait is begun. */
  deadline: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (line: string) => void;
  /** Sees every failed attempt and what failed (the deadline error quotes the last one). */
  onFailure?: (error: unknown, what: string) => void;
  /** A wait the server asked for (Retry-After), used instead of the backoff when given. */
  serverDelayMs?: (error: unknown) => number | undefined;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter: a uniform wait between 0 and the capped exponential step. */
export function backoffDelay(
  attempt: number,
  base: number,
  cap: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
}

/** Thrown when the phase deadline passes; carries the last failure. */
export class DeadlineError extends ActionError {
  constructor(what: string, seconds: number, last?: unknown, lastWhat?: string) {
    const quoted = last ? `${lastWhat ? `${lastWhat}: ` : ''}${describeError(last)}` : '';
    super(
      `${what} did not succeed within the ${seconds} s deadline${quoted ? ` (last error: ${quoted})` : ''}.`,
      'Raise `timeout-seconds` if the network is slow, or check that the endpoint is reachable from this runner (proxy settings: HTTPS_PROXY, NO_PROXY, `http-proxy`).',
    );
    this.name = 'DeadlineError';
  }
}

export async function retry<T>(attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const wait = o.sleep ?? sleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      o.onFailure?.(error, o.what);
      if (n >= o.maxAttempts || !o.isRetryable(error)) throw error;
      const delay =
        o.serverDelayMs?.(error) ??
        backoffDelay(n, o.baseDelayMs ?? 250, o.maxDelayMs ?? 5000, o.random ?? Math.random);
      if (now() + delay >= o.deadline) throw error;
      o.onRetry?.(
        `${o.what} failed (${describeError(error)}); attempt ${n} of ${o.maxAttempts}, retrying in ${delay} ms`,
      );
      await wait(delay);
    }
  }
}

/**
 * Runs fn, rejecting with DeadlineError when the deadline passes first; the signal aborts fn's I/O.
 * fn reports each failure (and what failed) through `failed` so the deadline error can name it.
 */
export async function withDeadline<T>(
  what: string,
  deadline: number,
  seconds: number,
  fn: (signal: AbortSignal, failed: (error: unknown, what?: string) => void) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let last: unknown;
  let lastWhat: string | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        controller.abort();
        reject(new DeadlineError(what, seconds, last, lastWhat));
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    const failed = (error: unknown, which?: string) => {
      last = error;
      lastWhat = which;
    };
    return await Promise.race([fn(controller.signal, failed), expired]);
  } finally {
    clearTimeout(timer);
  }
}
