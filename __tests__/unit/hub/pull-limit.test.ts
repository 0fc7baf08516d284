// Reading Docker Hub's pull-limit headers, and the output chosen from the checks.
import { describe, expect, test } from '@jest/globals';
import { readLimit } from '../../../src/hub/pull-limit.js';
import { pullsRemaining } from '../../../src/report/outputs.js';

describe('readLimit', () => {
  test('the number before ";" and the window', () => {
    expect(
      readLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' }),
    ).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600 });
  });
  test('no headers: not limited', () => {
    expect(readLimit({})).toEqual({});
  });
  test('a limit without a remaining count or window', () => {
    expect(readLimit({ 'ratelimit-limit': '200' })).toEqual({
      limit: 200,
      remaining: undefined,
      windowSeconds: undefined,
    });
  });
});

describe('pullsRemaining', () => {
  const anonymous = { account: 'anonymous', limit: 100, remaining: 76 };
  test.each<[Parameters<typeof pullsRemaining>[0], string]>([
    [undefined, ''],
    [{ anonymous }, '76'],
    [{}, ''],
    [{ anonymous: { account: 'anonymous' } }, ''],
    // The fallback logged in: its account counts, limited or not (or unknown).
    [{ anonymous, account: { name: 'octo-org', limit: { account: 'octo-org' } } }, ''],
    [{ anonymous, account: { name: 'octo-org' } }, ''],
    [
      { anonymous, account: { name: 'me', limit: { account: 'me', limit: 200, remaining: 5 } } },
      '5',
    ],
  ])('%j → %j', (report, expected) => {
    expect(pullsRemaining(report)).toBe(expected);
  });
});
