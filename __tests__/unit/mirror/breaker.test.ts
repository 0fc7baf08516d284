import { expect, test } from '@jest/globals';
import { Breaker } from '../../../src/mirror/breaker.js';

test('closed until a failure; open for the pause; then one trial at a time', () => {
  const clock = { now: 1000 };
  const breaker = new Breaker({ openMs: 30_000, now: () => clock.now });
  expect(breaker.wait()).toBe(0);
  breaker.failed();
  expect(breaker.wait()).toBe(30_000);
  clock.now += 29_000;
  expect(breaker.wait()).toBe(1000);
  clock.now += 1000;
  expect(breaker.wait()).toBe(0); // the trial
  expect(breaker.wait()).toBeGreaterThan(0); // the others wait for it
  breaker.failed();
  expect(breaker.wait()).toBe(30_000);
  clock.now += 30_000;
  expect(breaker.wait()).toBe(0);
  breaker.succeeded();
  expect([breaker.wait(), breaker.wait()]).toEqual([0, 0]);
});

test('a trial whose client left lets the next request try', () => {
  const clock = { now: 0 };
  const breaker = new Breaker({ openMs: 10, now: () => clock.now });
  breaker.failed();
  clock.now = 10;
  expect(breaker.wait()).toBe(0);
  breaker.released();
  expect(breaker.wait()).toBe(0);
});
