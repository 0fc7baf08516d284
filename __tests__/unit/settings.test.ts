import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/common/errors.js';
import { INPUT_DEFAULTS } from '../../src/runner/action-inputs.js';
import { roleArnProblem } from '../../src/aws/settings.js';
import { normalizeRegistry } from '../../src/registry/names.js';
import { parseSettings, type Settings } from '../../src/settings.js';

type With = Record<string, string>;

const parse = (values: With): Settings => parseSettings((name) => values[name] ?? '');

/** The InputError parseSettings throws for these values (fails the test when it does not throw). */
function rejection(values: With): InputError {
  try {
    parse(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`parseSettings accepted ${JSON.stringify(values)}`);
}

const ALL_INPUTS = Object.keys(INPUT_DEFAULTS) as (keyof typeof INPUT_DEFAULTS)[];
/** Inputs of one value per line (their own tests: __tests__/unit/images/settings.test.ts). */
const LIST_INPUTS = new Set(['images', 'rewrite', 'mirror']);
const ONE_LINE_INPUTS = ALL_INPUTS.filter((name) => !LIST_INPUTS.has(name));

const TOKEN = 'dckr_oat_S3cr3tT0kenValue';

describe('defaults', () => {
  test('no inputs at all gives the documented defaults', () => {
    expect(parse({})).toEqual({
      target: expect.objectContaining({
        kind: 'ecr-public',
        host: 'public.ecr.aws',
        label: 'ECR Public',
        libraryPrefix: 'public.ecr.aws/docker/library',
      }),
      aws: {
        roleToAssume: '',
        roleSessionName: 'GitHubActions',
        roleDurationSeconds: 900,
        audience: 'sts.amazonaws.com',
      },
      network: { retryMaxAttempts: 5, timeoutSeconds: 60, httpProxy: '' },
      fallback: undefined,
      logins: { logout: true, dockerConfig: 'shared' },
      mirror: { engines: [], auto: false },
      dockerHubLimit: false,
      images: { images: [], rewrite: [], verifyDigest: false },
      notes: [],
    });
  });

  test('every value is read through getInput under its action.yml name', () => {
    const asked: string[] = [];
    parseSettings((name) => {
      asked.push(name);
      return '';
    });
    expect([...new Set(asked)].sort()).toEqual([...ALL_INPUTS].sort());
  });
});

describe('role-to-assume', () => {
  test.each([
    'arn:aws:iam::123456789012:role/ecr-public-pull',
    'arn:aws-cn:iam::123456789012:role/pull',
    'arn:aws-us-gov:iam::123456789012:role/pull',
    'arn:aws-iso:iam::123456789012:role/pull',
    'arn:aws-iso-b:iam::123456789012:role/pull',
    'arn:aws-iso-e:iam::123456789012:role/pull',
    'arn:aws-iso-f:iam::123456789012:role/pull',
    'arn:aws:iam::123456789012:role/service-role/pull',
    'arn:aws:iam::123456789012:role/a/b/c/pull',
    'arn:aws:iam::123456789012:role/name+=,.@_-chars',
    `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`,
  ])('accepts %s', (arn) => {
    expect(roleArnProblem(arn)).toBeUndefined();
    expect(parse({ 'role-to-assume': arn }).aws.roleToAssume).toBe(arn);
  });

  test.each<[string, string, RegExp]>([
    ['a plain role name', 'ecr-public-pull', /full ARN, not a name/],
    ['a user ARN', 'arn:aws:iam::123456789012:user/alice', /names an IAM user, not a role/],
    ['a group ARN', 'arn:aws:iam::123456789012:group/devs', /names an IAM group, not a role/],
    [
      'a policy ARN',
      'arn:aws:iam::123456789012:policy/ecr-pull',
      /names an IAM policy, not a role/,
    ],
    [
      'an assumed-role session ARN',
      'arn:aws:sts::123456789012:assumed-role/ecr-public-pull/GitHubActions',
      /assumed-role session ARN.*give the role's own ARN/,
    ],
    ['an 11-digit account', 'arn:aws:iam::12345678901:role/pull', /12-digit account ID/],
    ['a 13-digit account', 'arn:aws:iam::1234567890123:role/pull', /12-digit account ID/],
    ['an account alias', 'arn:aws:iam::my-account:role/pull', /12-digit account ID/],
    ['an empty account', 'arn:aws:iam:::role/pull', /12-digit account ID/],
    ['a 65-character name', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, /1-64 characters/],
    ['a path without a name', 'arn:aws:iam::123456789012:role/path/', /invalid role name/],
    ['a name with a space', 'arn:aws:iam::123456789012:role/my role', /not an IAM role ARN/],
    ['an S3 ARN', 'arn:aws:s3:::my-bucket', /not an IAM role ARN/],
    ['an unknown partition', 'arn:azure:iam::123456789012:role/pull', /not an IAM role ARN/],
  ])('rejects %s with a specific hint', (_label, arn, hint) => {
    expect(roleArnProblem(arn)).toMatch(hint);
    const message = rejection({ 'role-to-assume': arn }).message;
    expect(message).toContain("'role-to-assume'");
    expect(message).toMatch(hint);
  });

  test('the generic hints show an example of a role ARN', () => {
    expect(roleArnProblem('pull')).toContain('arn:aws:iam::123456789012:role/');
    expect(roleArnProblem('arn:aws:iam::123456789012:user/alice')).toContain(
      'arn:aws:iam::123456789012:role/',
    );
  });

  test('a very long value is shown shortened', () => {
    const arn = `not-an-arn-${'x'.repeat(300)}`;
    const message = rejection({ 'role-to-assume': arn }).message;
    expect(message).toContain('…');
    expect(message).not.toContain(arn);
  });
});

describe('role-session-name', () => {
  test.each(['ab', 'GitHubActions', 'a+b=c,d.e@f_g-h', 'x'.repeat(64), '1234'])(
    'accepts %j',
    (name) => {
      expect(parse({ 'role-session-name': name }).aws.roleSessionName).toBe(name);
    },
  );

  test.each(['a', 'x'.repeat(65), 'has space', 'slash/name', 'colon:name', 'ümlaut', 'a*b'])(
    'rejects %j',
    (name) => {
      const message = rejection({ 'role-session-name': name }).message;
      expect(message).toContain("'role-session-name' must be 2-64 characters");
      expect(message).toContain(JSON.stringify(name));
    },
  );
});

describe('integer inputs', () => {
  const read: Record<string, (s: Settings) => number> = {
    'role-duration-seconds': (s) => s.aws.roleDurationSeconds,
    'retry-max-attempts': (s) => s.network.retryMaxAttempts,
    'timeout-seconds': (s) => s.network.timeoutSeconds,
  };
  test.each<[string, string, number]>([
    ['role-duration-seconds', '900', 900],
    ['role-duration-seconds', '3600', 3600],
    ['role-duration-seconds', '43200', 43200],
    ['retry-max-attempts', '1', 1],
    ['retry-max-attempts', '20', 20],
    ['timeout-seconds', '1', 1],
    ['timeout-seconds', '3600', 3600],
  ])('%s accepts %j', (name, raw, expected) => {
    expect(read[name](parse({ [name]: raw }))).toBe(expected);
  });

  test.each<[string, string, string]>([
    ['role-duration-seconds', '899', '900 to 43200'],
    ['role-duration-seconds', '43201', '900 to 43200'],
    ['role-duration-seconds', '0', '900 to 43200'],
    ['role-duration-seconds', '-900', '900 to 43200'],
    ['role-duration-seconds', '900.5', '900 to 43200'],
    ['role-duration-seconds', '900.0', '900 to 43200'],
    ['role-duration-seconds', '1e3', '900 to 43200'],
    ['role-duration-seconds', '0x384', '900 to 43200'],
    ['role-duration-seconds', '1h', '900 to 43200'],
    ['role-duration-seconds', '9999999999', '900 to 43200'],
    ['retry-max-attempts', '0', '1 to 20'],
    ['retry-max-attempts', '21', '1 to 20'],
    ['retry-max-attempts', 'three', '1 to 20'],
    ['timeout-seconds', '0', '1 to 3600'],
    ['timeout-seconds', '3601', '1 to 3600'],
    ['timeout-seconds', '60s', '1 to 3600'],
  ])('%s rejects %j', (name, raw, range) => {
    const message = rejection({ [name]: raw }).message;
    expect(message).toContain(`'${name}' must be a whole number from ${range}`);
    expect(message).toContain(JSON.stringify(raw));
  });
});

describe('audience', () => {
  test('is passed through', () => {
    expect(parse({ audience: 'https://github.com/octo-org' }).aws.audience).toBe(
      'https://github.com/octo-org',
    );
  });
});

describe('fallback-registry', () => {
  const withFallback = (registry: string): With => ({
    'fallback-registry': registry,
    'fallback-username': 'octo-org',
    'fallback-token': TOKEN,
  });

  test.each<[string, string]>([
    ['docker.io', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['registry.hub.docker.com', 'docker.io'],
    ['https://registry-1.docker.io/v2/', 'docker.io'],
    ['Docker.IO', 'docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['ghcr.io/', 'ghcr.io'],
    ['registry.example.com:5000', 'registry.example.com:5000'],
    ['localhost:5000', 'localhost:5000'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeRegistry(raw)).toBe(expected);
    expect(parse(withFallback(raw)).fallback?.target.host).toBe(expected);
  });

  test.each(['public.ecr.aws', 'https://public.ecr.aws/', 'PUBLIC.ECR.AWS'])(
    'rejects %j: it is the registry the fallback stands in for',
    (raw) => {
      expect(rejection(withFallback(raw)).message).toContain(
        "'fallback-registry' cannot be public.ecr.aws",
      );
    },
  );

  test.each([
    'not a registry',
    'ghcr.io/owner/image',
    'ftp://example.com',
    '-bad.example.com',
    'example..com',
    'host:port',
    'host:123456',
  ])('rejects %j', (raw) => {
    expect(normalizeRegistry(raw)).toBeUndefined();
    const message = rejection(withFallback(raw)).message;
    expect(message).toContain("'fallback-registry' must be a registry host");
    expect(message).toContain(JSON.stringify(raw));
  });
});

describe('fallback credentials and mode', () => {
  test('username and token enable the fallback, on-failure by default', async () => {
    const fallback = parse({ 'fallback-username': 'octo-org', 'fallback-token': TOKEN }).fallback;
    expect(fallback?.mode).toBe('on-failure');
    expect(fallback?.target).toMatchObject({
      host: 'docker.io',
      label: 'Docker Hub',
      libraryPrefix: 'docker.io/library',
    });
    await expect(fallback?.target.credential({} as never)).resolves.toEqual({
      username: 'octo-org',
      password: TOKEN,
      via: 'the fallback credentials',
    });
  });

  test('fallback-mode: always with credentials', () => {
    const s = parse({
      'fallback-username': 'octo-org',
      'fallback-token': TOKEN,
      'fallback-mode': 'always',
    });
    expect(s.fallback?.mode).toBe('always');
  });

  test('a token without a username is an error that does not show the token', () => {
    const error = rejection({ 'fallback-token': TOKEN });
    expect(error.message).toContain("'fallback-token' is set but 'fallback-username' is empty");
    expect(error.message).toContain('organization name');
    expect(error.toString()).not.toContain(TOKEN);
  });

  test('a username without a token is a note and no fallback (forks get no secrets)', () => {
    const s = parse({ 'fallback-username': 'octo-org' });
    expect(s.fallback).toBeUndefined();
    expect(s.notes).toHaveLength(1);
    expect(s.notes[0]).toContain("'fallback-token' is empty");
    expect(s.notes[0]).toContain('forks');
  });

  test('fallback-mode: always without a token is an error', () => {
    expect(rejection({ 'fallback-mode': 'always' }).message).toContain(
      "'fallback-mode: always' needs 'fallback-username' and either 'fallback-token' or 'fallback-oidc-connection-id'",
    );
    expect(
      rejection({ 'fallback-mode': 'always', 'fallback-username': 'octo-org' }).message,
    ).toContain("'fallback-mode: always' needs");
  });

  test.each(['Always', 'never', 'on_failure', 'true'])('fallback-mode rejects %j', (mode) => {
    const message = rejection({ 'fallback-mode': mode }).message;
    expect(message).toContain("'fallback-mode' must be one of on-failure, always");
    expect(message).toContain(JSON.stringify(mode));
  });
});

describe('logout', () => {
  test.each<[string, boolean]>([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', true],
  ])('%j → %s', (raw, expected) => {
    expect(parse({ logout: raw }).logins.logout).toBe(expected);
  });

  test.each(['yes', 'no', '1', '0', 'tRUE', 'fAlse', 'on'])('rejects %j', (raw) => {
    const message = rejection({ logout: raw }).message;
    expect(message).toContain("'logout' must be true or false");
    expect(message).toContain(JSON.stringify(raw));
  });
});

describe('docker-config', () => {
  test.each(['shared', 'isolated'])('accepts %j', (mode) => {
    expect(parse({ 'docker-config': mode }).logins.dockerConfig).toBe(mode);
  });
  test.each(['Shared', 'private', 'none'])('rejects %j', (mode) => {
    expect(rejection({ 'docker-config': mode }).message).toContain(
      "'docker-config' must be one of shared, isolated",
    );
  });
});

describe('http-proxy', () => {
  test.each([
    'http://proxy.example.com:3128',
    'http://proxy.example.com:3128/',
    'https://proxy.example.com',
    'http://user:secret@proxy.example.com:3128',
    'http://10.0.0.1:8080',
  ])('accepts %j', (url) => {
    expect(parse({ 'http-proxy': url }).network.httpProxy).toBe(url);
  });

  test.each([
    'proxy.example.com:3128',
    'socks5://proxy.example.com:1080',
    'http://proxy.example.com:3128/path',
    'http://',
  ])('rejects %j', (url) => {
    const message = rejection({ 'http-proxy': url }).message;
    expect(message).toContain("'http-proxy' must be a proxy URL");
  });

  test.each([
    'http://user:Pr0xyPassw0rd@proxy.example.com:3128/path',
    'socks5://user:Pr0xyPassw0rd@proxy.example.com:1080',
    'http://user:Pr0xyPassw0rd@proxy.example.com:3128/a/b',
    'http://Pr0xyPassw0rd@proxy.example.com:3128/x',
  ])('the error for %j does not echo the proxy password', (url) => {
    const error = rejection({ 'http-proxy': url });
    expect(error.message).toContain("'http-proxy' must be a proxy URL");
    expect(error.message).toContain('proxy.example.com');
    expect(error.toString()).not.toContain('Pr0xyPassw0rd');
  });

  // The control-character check names the input without echoing its value: http-proxy may hold
  // credentials.
  test('a control character in http-proxy does not echo the proxy password', () => {
    const error = rejection({
      'http-proxy': 'http://user:Pr0xyPassw0rd@proxy.example.com:3128\nhttp://other',
    });
    expect(error.message).toContain("'http-proxy' contains a newline or control character");
    expect(error.toString()).not.toContain('Pr0xyPassw0rd');
  });

  // Credentials are hidden up to the LAST '@' before the host: WHATWG URL parsing accepts a
  // literal '@' in a password.
  test('a proxy password containing @ is not partly echoed', () => {
    const error = rejection({
      'http-proxy': 'http://user:Pr0xy@Passw0rd@proxy.example.com:3128/x',
    });
    expect(error.message).toContain("'http-proxy' must be a proxy URL");
    expect(error.toString()).not.toContain('Passw0rd');
  });
});

describe('control characters, newlines and oversized values', () => {
  const secretInputs = new Set(['fallback-token']);
  const bad: [string, string][] = [
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a tab', 'a\tb'],
    ['a NUL', 'a\u0000b'],
    ['an escape', 'a\u001b[31mb'],
    ['a DEL', 'a\u007fb'],
  ];
  const cases = ONE_LINE_INPUTS.flatMap((name) =>
    bad.map(([label, value]) => [name, label, value] as [string, string, string]),
  );

  test.each(cases)('%s with %s is an error naming the input', (name, _label, value) => {
    const values: With = { [name]: value };
    if (name === 'fallback-token') values['fallback-username'] = 'octo-org';
    const error = rejection(values);
    expect(error.message).toContain(`'${name}' contains a newline or control character`);
    if (secretInputs.has(name)) {
      expect(error.message).toContain('value not shown');
      expect(error.toString()).not.toContain(value);
    }
  });

  test.each(ONE_LINE_INPUTS)('%s with 5000 characters is an error naming the input', (name) => {
    const values: With = { [name]: 'a'.repeat(5000) };
    if (name === 'fallback-token') values['fallback-username'] = 'octo-org';
    const message = rejection(values).message;
    expect(message).toContain(`'${name}' is longer than 4096 characters (5000)`);
    expect(message).not.toContain('a'.repeat(100));
  });

  test('4096 characters is not "too long" (role path of 4000 characters)', () => {
    const arn = `arn:aws:iam::123456789012:role/${'p/'.repeat(2000)}name`.slice(0, 4096);
    const problems = (() => {
      try {
        parse({ 'role-to-assume': arn });
        return [];
      } catch (error) {
        return (error as InputError).problems;
      }
    })();
    expect(problems.some((p) => p.includes('longer than'))).toBe(false);
  });
});

describe('the fallback-token never appears in an error', () => {
  const token = 'dckr_pat_Sup3rS3cretValue_do_not_print';
  test.each<[string, With]>([
    ['token without username', { 'fallback-token': token }],
    ['token with a newline', { 'fallback-token': `${token}\nmore`, 'fallback-username': 'u' }],
    ['token with a control char', { 'fallback-token': `${token}\u0007`, 'fallback-username': 'u' }],
    ['token too long', { 'fallback-token': token.repeat(200), 'fallback-username': 'u' }],
    [
      'token with a bad registry',
      { 'fallback-token': token, 'fallback-username': 'u', 'fallback-registry': 'bad host' },
    ],
    [
      'token with the ECR registry',
      { 'fallback-token': token, 'fallback-username': 'u', 'fallback-registry': 'public.ecr.aws' },
    ],
    ['token with a bad mode', { 'fallback-token': token, 'fallback-mode': 'sometimes' }],
    [
      'token with every other input wrong',
      {
        'fallback-token': `${token}\n`,
        'role-to-assume': 'x',
        'role-session-name': 'a',
        logout: 'maybe',
        'timeout-seconds': '0',
      },
    ],
  ])('%s', (_label, values) => {
    const error = rejection(values);
    expect(error.message).not.toContain(token);
    expect(error.toString()).not.toContain(token);
    expect(error.problems.join('\n')).not.toContain(token);
    expect(error.message).not.toContain('Sup3rS3cret');
  });
});

describe('several problems', () => {
  test('are reported together, one per line', () => {
    const error = rejection({
      'role-to-assume': 'ecr-public-pull',
      'role-duration-seconds': '60',
      logout: 'yes',
      'docker-config': 'private',
    });
    expect(error.problems).toHaveLength(4);
    expect(error.message.startsWith('Invalid inputs:\n- ')).toBe(true);
    for (const name of ['role-to-assume', 'role-duration-seconds', 'logout', 'docker-config']) {
      expect(error.message).toContain(`'${name}'`);
    }
    expect(error.message.split('\n- ')).toHaveLength(5);
    expect(error.fix).toContain('with:');
  });

  test('one problem is reported on one line', () => {
    const error = rejection({ logout: 'yes' });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe(`Invalid input: ${error.problems[0]}`);
  });
});
