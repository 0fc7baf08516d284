// The Docker Hub OIDC fallback kind: its inputs, and how Docker's refusals are explained.
import { describe, expect, test } from '@jest/globals';
import { ActionError, InputError } from '../../../src/common/errors.js';
import { HttpError } from '../../../src/net/get-json.js';
import { ProxyError } from '../../../src/net/proxy.js';
import { parseSettings } from '../../../src/settings.js';
import {
  dockerSays,
  explainExchangeError,
  isRetryableExchange,
} from '../../../src/targets/docker-hub-oidc.js';

const ID = '5f0c2a6e-8d1b-4c3a-9e7f-2b6d4a1c8e90';
const CONNECTION = { organization: 'octo-org', connectionId: ID, expiresIn: 3600 };
const SUB = 'repo:octo-org/app:ref:refs/heads/main';

const parse = (values: Record<string, string>, env: Record<string, string> = {}) =>
  parseSettings((name) => values[name] ?? '', env);

function problems(values: Record<string, string>, env: Record<string, string> = {}): string[] {
  try {
    parse(values, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('parseSettings accepted the inputs');
}

describe('fallback-oidc-connection-id', () => {
  test('the input (or DOCKERHUB_OIDC_CONNECTIONID) makes a Docker Hub fallback as the organization', () => {
    for (const [values, env] of [
      [{ 'fallback-oidc-connection-id': ID, 'fallback-username': 'octo-org' }, {}],
      [{ 'fallback-username': 'octo-org' }, { DOCKERHUB_OIDC_CONNECTIONID: ID }],
    ] as const) {
      const { fallback } = parse(values, env);
      expect(fallback?.target).toMatchObject({
        kind: 'docker-hub-oidc',
        host: 'docker.io',
        libraryPrefix: 'docker.io/library',
        usesAws: false,
      });
      expect(fallback?.mode).toBe('on-failure');
    }
  });

  test('the input wins over the variable; expires-in defaults to 3600', () => {
    const other = '00000000-0000-4000-8000-000000000000';
    const { fallback } = parse(
      { 'fallback-oidc-connection-id': ID, 'fallback-username': 'octo-org' },
      { DOCKERHUB_OIDC_CONNECTIONID: other },
    );
    expect(fallback?.target.refusedFix).toContain(ID);
  });

  test('both a token and a connection ID is an input error', () => {
    expect(
      problems({
        'fallback-oidc-connection-id': ID,
        'fallback-username': 'octo-org',
        'fallback-token': 'dckr_oat_x',
      }),
    ).toEqual([
      "'fallback-token' and 'fallback-oidc-connection-id' are both set: log in to Docker Hub one way, with an organization access token or with the OIDC connection",
    ]);
  });

  test.each<[Record<string, string>, RegExp]>([
    [
      { 'fallback-oidc-connection-id': 'my-connection' },
      /must be a Docker OIDC connection ID, a UUID/,
    ],
    [
      { 'fallback-oidc-connection-id': ID, 'fallback-username': '' },
      /'fallback-username' is empty: it must be the Docker organization/,
    ],
    [
      { 'fallback-oidc-connection-id': ID, 'fallback-registry': 'ghcr.io' },
      /logs in to Docker Hub only, but 'fallback-registry' is ghcr.io/,
    ],
    [
      { 'fallback-oidc-expires-in': '299' },
      /'fallback-oidc-expires-in' must be a whole number from 300 to 21600/,
    ],
    [{ 'fallback-oidc-expires-in': '21601' }, /from 300 to 21600: got "21601"/],
  ])('%j is refused', (values, expected) => {
    const all = problems({ 'fallback-username': 'octo-org', ...values });
    expect(all.some((p) => expected.test(p))).toBe(true);
  });

  test('a job-wide DOCKERHUB_OIDC_CONNECTIONID without fallback inputs is a note, not an error', () => {
    const settings = parse({}, { DOCKERHUB_OIDC_CONNECTIONID: ID });
    expect(settings.fallback).toBeUndefined();
    expect(settings.notes).toEqual([
      "DOCKERHUB_OIDC_CONNECTIONID is set but 'fallback-username' is empty, so there is no fallback.",
    ]);
  });

  test('fallback-mode: always accepts a connection ID in place of a token', () => {
    const { fallback } = parse({
      'fallback-oidc-connection-id': ID,
      'fallback-username': 'octo-org',
      'fallback-mode': 'always',
    });
    expect(fallback?.mode).toBe('always');
  });
});

const oauth = (status: number, error: string, description: string, retryAfter?: number) =>
  new HttpError(
    status,
    `HTTP ${status}`,
    JSON.stringify({ error, error_description: description }),
    retryAfter,
  );

describe("Docker's answers", () => {
  test('quoted from error_description, else message, else the raw body (bounded)', () => {
    expect(dockerSays(oauth(400, 'invalid_request', 'connection not found'))).toEqual({
      code: 'invalid_request',
      text: 'connection not found',
    });
    expect(dockerSays(new HttpError(400, '', '{"message":"bad\\n token"}'))).toEqual({
      code: '',
      text: 'bad token',
    });
    expect(dockerSays(new HttpError(502, '', '<html>Bad gateway</html>')).text).toBe(
      '<html>Bad gateway</html>',
    );
    expect(dockerSays(new HttpError(500, '', 'x'.repeat(5000))).text).toHaveLength(300);
    expect(dockerSays(new HttpError(500, '', '')).text).toBe('(no text)');
  });

  test('a sub no ruleset matches: the sub, and that a ruleset must match it', () => {
    const error = explainExchangeError(
      oauth(403, 'access_denied', 'subject does not match'),
      CONNECTION,
      { sub: SUB },
    );
    expect(error.message).toBe(
      `Docker's token exchange refused the job's OIDC token for connection ${ID} (HTTP 403 access_denied: subject does not match). The token's sub claim is "${SUB}".`,
    );
    expect(error.fix).toContain('A ruleset of the OIDC connection must match this sub');
    expect(error.fix).toContain('"repo:octo-org/app:*"');
  });

  test('matched on status and code, not on the text', () => {
    const reworded = explainExchangeError(oauth(400, 'access_denied', 'nope'), CONNECTION, {
      sub: SUB,
    });
    expect(reworded.message).toContain(`The token's sub claim is "${SUB}"`);
    const notFound = explainExchangeError(
      oauth(400, 'invalid_request', 'subject matches no ruleset'),
      CONNECTION,
      { sub: SUB },
    );
    expect(notFound.message).not.toContain('sub claim');
    expect(notFound.fix).toContain(`Check that connection ${ID} exists and is active`);
  });

  test.each<[unknown, RegExp]>([
    [oauth(429, 'rate_limited', 'slow down'), /throttled the exchange and it was retried/],
    [oauth(503, 'server_error', 'unavailable'), /identity service failed and was retried/],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), /network/],
    [new ProxyError('proxy p refused CONNECT', 403), /proxy settings/],
  ])('%s: says what to do', (error, fix) => {
    const explained = explainExchangeError(error, CONNECTION, {});
    expect(explained).toBeInstanceOf(ActionError);
    expect(explained.fix).toMatch(fix);
  });

  test('retried: 429, 5xx, network faults; never 400, 401, 403', () => {
    expect(isRetryableExchange(oauth(429, 'x', 'y', 1))).toBe(true);
    expect(isRetryableExchange(oauth(500, 'x', 'y'))).toBe(true);
    expect(isRetryableExchange(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
    for (const status of [400, 401, 403]) {
      expect(isRetryableExchange(oauth(status, 'x', 'y'))).toBe(false);
    }
    expect(isRetryableExchange(new ActionError('no access_token'))).toBe(false);
  });
});
