import { describe, expect, test } from '@jest/globals';
import { ActionError } from '../../../src/common/errors.js';
import {
  decodeAuthorizationToken,
  ECR_PUBLIC_REGION,
} from '../../../src/aws/authorization-token.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const NOW = new Date('2025-06-01T12:00:00Z');
const LATER = new Date('2025-06-02T00:00:00Z');
// ECR Public passwords are long (> 2,560 bytes) and base64-ish themselves.
const LONG_PASSWORD = `eyJwYXlsb2FkIjoi${'Q'.repeat(2700)}`;

function failure(data: Parameters<typeof decodeAuthorizationToken>[0], now = NOW): ActionError {
  try {
    decodeAuthorizationToken(data, now);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }
  throw new Error('decodeAuthorizationToken accepted the token');
}

describe('decodeAuthorizationToken', () => {
  test('only us-east-1 serves GetAuthorizationToken', () => {
    expect(ECR_PUBLIC_REGION).toBe('us-east-1');
  });

  test.each<[string, string]>([
    ['a long password', LONG_PASSWORD],
    ['a password with colons', 'pa:ss:word'],
    ['a password ending with a colon', 'password:'],
    ['a one-character password', 'x'],
    ['a password with non-ASCII', 'pässwörd'],
  ])('decodes AWS:<password> with %s', (_label, password) => {
    const login = decodeAuthorizationToken(
      { authorizationToken: b64(`AWS:${password}`), expiresAt: LATER },
      NOW,
    );
    expect(login).toEqual({ username: 'AWS', password, expiresAt: LATER });
  });

  test('a token without expiresAt is accepted', () => {
    const login = decodeAuthorizationToken({ authorizationToken: b64('AWS:pw') }, NOW);
    expect(login.username).toBe('AWS');
    expect(login.password).toBe('pw');
    expect(login.expiresAt).toBeUndefined();
  });

  test.each<[string, string | undefined]>([
    ['missing', undefined],
    ['empty', ''],
    ['not base64', 'not base64!'],
    ['URL-safe base64', b64('AWS:pw??>>').replace(/\+/g, '-').replace(/\//g, '_')],
    ['wrong padding length', b64('AWS:passwd1').replace(/=+$/, '')],
    ['with a newline', `${b64('AWS:pw')}\n`],
    ['padding in the middle', 'QV=TOnB3'],
  ])('%s token → "not base64"', (_label, token) => {
    const error = failure({ authorizationToken: token, expiresAt: LATER });
    expect(error.message).toContain('not usable');
    expect(error.message).toContain('not base64');
    expect(error.fix).toContain('retry');
  });

  test.each<[string, string]>([
    ['no colon', 'AWSpassword'],
    ['another user', 'admin:password'],
    ['lower-case user', 'aws:password'],
    ['leading colon', ':password'],
  ])('a pair with %s → not an "AWS:<password>" pair', (_label, decoded) => {
    const error = failure({ authorizationToken: b64(decoded), expiresAt: LATER });
    expect(error.message).toContain('"AWS:<password>"');
  });

  test('an empty password is refused', () => {
    expect(failure({ authorizationToken: b64('AWS:'), expiresAt: LATER }).message).toContain(
      'password is empty',
    );
  });

  test.each<[string, Date]>([
    ['in the past', new Date('2025-06-01T11:00:00Z')],
    ['exactly now', NOW],
  ])('an expiry %s is refused, naming the time and the clock', (_label, expiresAt) => {
    const error = failure({ authorizationToken: b64('AWS:pw'), expiresAt });
    expect(error.message).toContain(`expired at ${expiresAt.toISOString()}`);
    expect(error.fix).toContain('clock');
  });

  test('the error never contains the password', () => {
    const secret = 'Sup3rS3cretP4ss';
    const error = failure({
      authorizationToken: b64(`AWS:${secret}`),
      expiresAt: new Date(NOW.getTime() - 1),
    });
    expect(error.toString()).not.toContain(secret);
    expect(error.toString()).not.toContain(b64(`AWS:${secret}`));
  });

  test('uses the current time by default', () => {
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 60_000);
    expect(() =>
      decodeAuthorizationToken({ authorizationToken: b64('AWS:pw'), expiresAt: past }),
    ).toThrow(ActionError);
    expect(
      decodeAuthorizationToken({ authorizationToken: b64('AWS:pw'), expiresAt: future }).password,
    ).toBe('pw');
  });
});
