import { describe, expect, test } from '@jest/globals';
import { outcome, shouldUseFallback } from '../../src/outcome.js';
import { registryTokenTarget } from '../../src/targets/registry-token.js';
import type { FallbackSettings } from '../../src/targets/target.js';

const hub = registryTokenTarget('docker.io', 'octo-org', 'dckr_oat_x', '');
const onFailure: FallbackSettings = { target: hub, mode: 'on-failure' };
const always: FallbackSettings = { ...onFailure, mode: 'always' };
const ghcr: FallbackSettings = {
  ...onFailure,
  target: registryTokenTarget('ghcr.io', 'octo-org', 'x', ''),
};

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
  test.each<[string, Omit<Parameters<typeof outcome>[0], 'label'>, ReturnType<typeof outcome>]>([
    ['ECR ok, no fallback', {}, { ok: true, fallbackUsed: false }],
    ['ECR ok, fallback not needed', { fallback: onFailure }, { ok: true, fallbackUsed: false }],
    ['ECR ok, always: both in', { fallback: always }, { ok: true, fallbackUsed: false }],
    [
      'ECR failed, fallback got us in',
      { fallback: onFailure, targetError: 'AccessDenied' },
      { ok: true, fallbackUsed: true },
    ],
    [
      'ECR failed, always: fallback got us in',
      { fallback: always, targetError: 'AccessDenied' },
      { ok: true, fallbackUsed: true },
    ],
    [
      'ECR failed, no fallback',
      { targetError: 'no OIDC token' },
      { ok: false, reasons: ['ECR Public: no OIDC token'] },
    ],
    [
      'ECR failed and the fallback failed',
      { fallback: ghcr, targetError: 'timed out', fallbackError: 'unauthorized' },
      { ok: false, reasons: ['ECR Public: timed out', 'Fallback ghcr.io: unauthorized'] },
    ],
    [
      'always: ECR ok but the fallback failed',
      { fallback: always, fallbackError: 'unauthorized' },
      { ok: false, reasons: ['Fallback docker.io: unauthorized'] },
    ],
  ])('%s', (_label, input, expected) => {
    expect(outcome({ label: 'ECR Public', ...input })).toEqual(expected);
  });
});
