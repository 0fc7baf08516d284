// When the fallback registry is logged in to, and what the step reports as a result.
import type { FallbackSettings } from './runner/inputs.js';

/** Whether to log in to the fallback, given the mode and how the AWS login went. */
export function shouldUseFallback(
  fallback: FallbackSettings | undefined,
  ecrFailed: boolean,
): boolean {
  if (!fallback) return false;
  return fallback.mode === 'always' || ecrFailed;
}

export type Outcome = { ok: true; fallbackUsed: boolean } | { ok: false; reasons: string[] };

/** The step succeeds when the registries it was asked for are logged in. */
export function outcome(r: {
  fallback?: FallbackSettings;
  ecrError?: string;
  fallbackError?: string;
  /** How the AWS login's registry is named (the login target's label). */
  label?: string;
}): Outcome {
  const label = r.label ?? 'ECR Public';
  // One cause for both (a stopped Docker daemon) is said once.
  const same = r.ecrError !== undefined && r.ecrError === r.fallbackError;
  const reasons = [
    r.ecrError &&
      `${same ? `${label} and fallback ${r.fallback?.registry}` : label}: ${r.ecrError}`,
    !same && r.fallbackError && `Fallback ${r.fallback?.registry}: ${r.fallbackError}`,
  ].filter((x): x is string => Boolean(x));
  if (!r.ecrError && !r.fallbackError) return { ok: true, fallbackUsed: false };
  // The AWS login failed and the fallback (always tried after a failure) got us in.
  if (r.ecrError && r.fallback && !r.fallbackError) return { ok: true, fallbackUsed: true };
  return { ok: false, reasons };
}
