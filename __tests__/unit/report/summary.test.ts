// The step summary's tables hold whatever a workspace names its files: each row stays one
// markdown line with its four cells, and a name shows as written (escaped), never as markup.
import { describe, expect, test } from '@jest/globals';
import { code, stepSummary } from '../../../src/report/summary.js';

const HOSTILE = [
  'docker/Dockerfile\r| injected | cell |',
  'a\nb.Dockerfile',
  'pipe|name',
  'tick`s``and```more',
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example)',
  '**bold** _it_ ~~strike~~ # head',
  'line\u2028sep\u0085nel\u0000nul\ttab',
  '`',
  'back\\slash\\|',
];

const story = (sources: string[]) =>
  stepSummary({
    outputs: {
      registry: 'public.ecr.aws',
      registries: 'public.ecr.aws',
      'library-prefix': 'public.ecr.aws/docker/library',
      'expires-at': '2030-01-01T00:00:00Z',
      'fallback-used': 'false',
    } as never,
    logins: [],
    timings: [],
    images: [
      {
        reference: 'nginx:1.27',
        pull: 'public.ecr.aws/docker/library/nginx:1.27',
        mirrored: true,
        sources,
      },
      { reference: sources[0], pull: sources[0], mirrored: false, reason: sources[0], sources },
    ],
  });

/** GFM's table rule: a row is one line, cells split at each `|` not escaped by a backslash. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);

/** GFM line endings: \n, \r\n and \r all end a line. */
const lines = (markdown: string): string[] => markdown.split(/\r\n|\r|\n/);

describe('file names in the image table', () => {
  test.each(HOSTILE)('%j keeps every row one line of four cells', (name) => {
    const table = lines(story([name, `dir/${name}`]));
    const start = table.findIndex((l) => l.startsWith('| reference |'));
    const rows = table.slice(start);
    expect(rows).toHaveLength(4); // header, rule, two rows
    for (const row of rows) expect(cells(row)).toHaveLength(4);
    // outside code spans, no HTML tag, link or emphasis of its own: each such character escaped
    const prose = rows.slice(2).flatMap((r) => cells(r).filter((c) => !c.trim().startsWith('`')));
    for (const c of prose) expect(c).not.toMatch(/(?<!\\)[<[*_`]/);
  });

  test('ordinary names read as before', () => {
    expect(story(['images', 'Dockerfile'])).toContain(
      '| `images` | `images` | images | images, Dockerfile |',
    );
  });
});

describe('code spans', () => {
  test.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`x', '`` `x ``'],
    ['p|q', '`p\\|q`'],
    ['r\rs', '`r\\rs`'],
    ['', '–'],
  ])('%j → %s', (text, expected) => expect(code(text)).toBe(expected));
});

describe('the login table says what each target says', () => {
  const CACHE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
  const expires = new Date('2030-01-01T00:00:00Z');
  const summary = (fallbackUsed: boolean) =>
    stepSummary({
      outputs: { 'fallback-used': String(fallbackUsed) } as never,
      logins: [
        {
          host: fallbackUsed ? 'docker.io' : CACHE,
          via: fallbackUsed
            ? 'the fallback credentials'
            : 'role arn:aws:iam::123456789012:role/pull',
          expiresAt: fallbackUsed ? undefined : expires,
          libraryPrefix: fallbackUsed ? 'docker.io/library' : `${CACHE}/ecr-public/docker/library`,
        },
      ],
      targetFailure: fallbackUsed
        ? { label: 'ECR pull-through cache', error: 'AccessDenied' }
        : undefined,
      timings: [],
    });

  test('a pull-through cache login: its role, its prefix, its expiry; no word of a fallback', () => {
    const text = summary(false);
    expect(text).toContain(
      `| \`${CACHE}\` | role arn:aws:iam::123456789012:role/pull | \`${CACHE}/ecr-public/docker/library\` | 2030-01-01T00:00:00.000Z |`,
    );
    expect(text).not.toMatch(/fallback|ECR Public/);
  });

  test('the fallback after a failed cache login names the cache, not ECR Public', () => {
    const text = summary(true);
    expect(text).toContain('the ECR pull-through cache login failed: AccessDenied');
    expect(text).not.toContain('ECR Public');
  });
});
