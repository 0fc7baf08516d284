import { describe, expect, test } from '@jest/globals';
import {
  parseState,
  serializeState,
  STATE_KEY,
  type PostState,
} from '../../../src/runner/state.js';

const DEFAULT: PostState = { logout: true, logins: [] };

describe('parseState', () => {
  test('round-trips what serializeState wrote', () => {
    const state: PostState = {
      logout: false,
      isolatedDir: '/runner/_temp/docker-config-abc',
      logins: [
        {
          registry: 'public.ecr.aws',
          configDir: '/home/runner/.docker',
          fingerprint: 'f'.repeat(64),
        },
        {
          registry: 'docker.io',
          configDir: '/home/runner/.docker',
          fingerprint: 'e'.repeat(64),
          backup: '/runner/_temp/ecr-public-login-1.json',
        },
      ],
    };
    expect(parseState(serializeState(state))).toEqual(state);
  });

  test('the state key is "post"', () => {
    expect(STATE_KEY).toBe('post');
  });

  test.each([
    ['empty (no state saved)', ''],
    ['garbage', 'not json at all'],
    ['truncated JSON', '{"logout":false,"logins":[{"registry":"a"'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['a string', '"post"'],
    ['an array', '[]'],
    ['an empty object', '{}'],
  ])('%s → logout everything known (nothing)', (_label, raw) => {
    expect(parseState(raw)).toEqual(DEFAULT);
  });

  test.each<[unknown, boolean]>([
    [false, false],
    [true, true],
    ['false', true],
    [0, true],
    [null, true],
  ])('logout %j → %s (only a real false turns logout off)', (logout, expected) => {
    expect(parseState(JSON.stringify({ logout, logins: [] })).logout).toBe(expected);
  });

  test('logins that are not well-formed records are dropped, the rest kept', () => {
    const good = { registry: 'public.ecr.aws', configDir: '/cfg', fingerprint: 'abc' };
    const raw = JSON.stringify({
      logout: true,
      logins: [
        null,
        1,
        'public.ecr.aws',
        [],
        { registry: 'docker.io' },
        { configDir: '/cfg' },
        { registry: 5, configDir: '/cfg' },
        { registry: 'ghcr.io', configDir: null },
        good,
      ],
    });
    expect(parseState(raw).logins).toEqual([good]);
  });

  test.each<[unknown]>([['not a list'], [{ 0: 'x' }], [null], [3]])('logins %j → []', (logins) => {
    expect(parseState(JSON.stringify({ logout: true, logins })).logins).toEqual([]);
  });

  test.each<[unknown, string | undefined]>([
    ['/tmp/x', '/tmp/x'],
    [42, undefined],
    [null, undefined],
    [{ path: '/x' }, undefined],
  ])('isolatedDir %j → %j', (isolatedDir, expected) => {
    expect(parseState(JSON.stringify({ isolatedDir, logins: [] })).isolatedDir).toBe(expected);
  });
});
