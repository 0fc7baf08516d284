// One policy for every caller: what is retried, and what makes a host unreachable.
import { expect, test } from '@jest/globals';
import { isTransientNetworkError, isUnreachable } from '../../../src/net/network-errors.js';
import { isRetryable } from '../../../src/aws/explain-error.js';

const failure = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test.each<[string, boolean, boolean]>([
  ['ECONNREFUSED', true, true],
  ['ECONNRESET', true, true],
  ['ETIMEDOUT', true, true],
  ['EHOSTUNREACH', true, true],
  ['EAI_AGAIN', true, true],
  ['UND_ERR_SOCKET', true, true],
  // A name that does not exist: said at once, never retried, but the host is unreachable.
  ['ENOTFOUND', false, true],
  ['EACCES', false, false],
  ['ERR_TLS_CERT_ALTNAME_INVALID', false, false],
])('%s: retried %s, unreachable %s', (code, retried, unreachable) => {
  expect(isTransientNetworkError(failure(code))).toBe(retried);
  expect(isUnreachable(failure(code))).toBe(unreachable);
  // The AWS calls follow the same policy.
  expect(isRetryable(failure(code))).toBe(retried);
});
