import { describe, expect, test } from '@jest/globals';
import { outcome, shouldUseFallback } from '../../src/outcome.js';
import type { FallbackSettings } from '../../src/runner/inputs.js';

const onFailure: FallbackSettings = {
  registry: 'docker.io',
  username: 'octo-org',
  token: 'dckr_oat_x',
  mode: 'on-failure',
};
const always: FallbackSettings = { ...onFailure, mode: 'always' };
const ghcr: FallbackSettings = { ...onFailure, registry: 'ghcr.io' };

describe('shouldUseFallback', () => {
  test.each<[string, FallbackSettings | undefined, boolean, boolean]>([
    ['no fallback, ECR ok', undefined, false, false],
    ['no fallback, ECR failed', undefined, true, false],
    ['on-failure, ECR ok', onFailure, false, false],
    ['on-failure, ECR failed', onFailure, true, true],
    ['always, ECR ok', always, false, true],
    ['always, ECR failed', always, true, true],
  ])('%s → %s', (_label, fallback, ecrFailed, expected) => {
    expect(shouldUseFallback(fallback, ecrFailed)).toBe(expected);
  });
});

describe('outcome', () => {
  test.each<[string, Parameters<typeof outcome>[0], ReturnType<typeof outcome>]>([
    ['ECR ok, no fallback', {}, { ok: true, fallbackUsed: false }],
    ['ECR ok, fallback not needed', { fallback: onFailure }, { ok: true, fallbackUsed: false }],
    ['ECR ok, always: both in', { fallback: always }, { ok: true, fallbackUsed: false }],
    [
      'ECR failed, fallback got us in',
      { fallback: onFailure, ecrError: 'AccessDenied' },
      { ok: true, fallbackUsed: true },
    ],
    [
      'ECR failed, always: fallback got us in',
      { fallback: always, ecrError: 'AccessDenied' },
      { ok: true, fallbackUsed: true },
    ],
    [
      'ECR failed, no fallback',
      { ecrError: 'no OIDC token' },
      { ok: false, reasons: ['ECR Public: no OIDC token'] },
    ],
    [
      'ECR failed and the fallback failed',
      { fallback: ghcr, ecrError: 'timed out', fallbackError: 'unauthorized' },
      { ok: false, reasons: ['ECR Public: timed out', 'Fallback ghcr.io: unauthorized'] },
    ],
    [
      'always: ECR ok but the fallback failed',
      { fallback: always, fallbackError: 'unauthorized' },
      { ok: false, reasons: ['Fallback docker.io: unauthorized'] },
    ],
  ])('%s', (_label, input, expected) => {
    expect(outcome(input)).toEqual(expected);
  });
});
