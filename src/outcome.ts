// When the fallback registry is logged in to, and what the step reports as a result.
import type { FallbackSettings } from './targets/target.js';

/** Whether to log in to the fallback, given the mode and how the first login went. */
export function shouldUseFallback(
  fallback: FallbackSettings | undefined,
  targetFailed: boolean,
): boolean {
  if (!fallback) return false;
  return fallback.mode === 'always' || targetFailed;
}

export type Outcome = { ok: true; fallbackUsed: boolean } | { ok: false; reasons: string[] };

/** The step succeeds when the registries it was asked for are logged in. */
export function outcome(r: {
  fallback?: FallbackSettings;
  /** Why the login to the target failed. */
  targetError?: string;
  fallbackError?: string;
  /** How the target is named (its label). */
  label: string;
}): Outcome {
  const fallbackHost = r.fallback?.target.host;
  // One cause for both (a stopped Docker daemon) is said once.
  const same = r.targetError !== undefined && r.targetError === r.fallbackError;
  const reasons = [
    r.targetError &&
      `${same ? `${r.label} and fallback ${fallbackHost}` : r.label}: ${r.targetError}`,
    !same && r.fallbackError && `Fallback ${fallbackHost}: ${r.fallbackError}`,
  ].filter((x): x is string => Boolean(x));
  if (!r.targetError && !r.fallbackError) return { ok: true, fallbackUsed: false };
  // The first login failed and the fallback (always tried after a failure) got us in.
  if (r.targetError && r.fallback && !r.fallbackError) return { ok: true, fallbackUsed: true };
  return { ok: false, reasons };
}
