import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configuredHelper,
  directVerdict,
  knownCliVersion,
} from '../../../src/clients/direct-rule.js';

const empty = mkdtempSync(join(tmpdir(), 'rule-'));
const withHelper = mkdtempSync(join(tmpdir(), 'rule-'));
for (const name of ['docker-credential-secretservice']) {
  writeFileSync(join(withHelper, name), '#!/bin/sh\n');
  chmodSync(join(withHelper, name), 0o755);
}
const base = { key: 'public.ecr.aws', registry: 'public.ecr.aws', platform: 'linux' as const };

test('known CLI versions: 20.10 to 28.x', () => {
  expect(['20.10.24', '28.2.2', '24.0.0'].map(knownCliVersion)).toEqual([true, true, true]);
  expect(['20.9.1', '29.0.0', undefined, 'x'].map(knownCliVersion)).toEqual([
    false,
    false,
    false,
    false,
  ]);
});

test('direct: a known CLI, no helper, a config with auths', () => {
  const config = { auths: { 'ghcr.io': { auth: 'eA==' } } };
  expect(
    directVerdict({ ...base, cliVersion: '28.2.2', config, env: { PATH: withHelper } }),
  ).toEqual({ direct: true });
});

test('docker login: unknown CLI, a helper for the registry, credsStore, or a default store docker would pick', () => {
  const env = { PATH: empty };
  expect(directVerdict({ ...base, cliVersion: undefined, config: {}, env }).direct).toBe(false);
  expect(
    directVerdict({ ...base, cliVersion: '28.2.2', config: { credsStore: 'pass' }, env }),
  ).toEqual({
    direct: false,
    why: 'credential helper pass',
  });
  const helpers = { credHelpers: { 'public.ecr.aws': 'ecr-login' } };
  expect(directVerdict({ ...base, cliVersion: '28.2.2', config: helpers, env }).direct).toBe(false);
  expect(
    directVerdict({ ...base, cliVersion: '28.2.2', config: {}, env: { PATH: withHelper } }),
  ).toEqual({
    direct: false,
    why: 'docker would pick docker-credential-secretservice',
  });
  expect(directVerdict({ ...base, cliVersion: '28.2.2', config: {}, env })).toEqual({
    direct: true,
  });
});

test('credHelpers[key] = "" means the file store, even with a credsStore (as docker reads it)', () => {
  expect(
    configuredHelper(
      { credsStore: 'desktop', credHelpers: { 'public.ecr.aws': '' } },
      'public.ecr.aws',
      'public.ecr.aws',
    ),
  ).toBe('');
  expect(configuredHelper({ credsStore: 'desktop' }, 'public.ecr.aws', 'public.ecr.aws')).toBe(
    'desktop',
  );
});
