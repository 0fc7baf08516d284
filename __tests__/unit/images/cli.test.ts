import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/images/cli.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { startRegistryServer, type RegistryServer } from '../../fixtures/registry-server.js';

const P = 'public.ecr.aws/docker/library';
let dir: string;
let mirror: RegistryServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM nginx:1.27\nFROM nginx:0.1\n');
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: bitnami/redis:7\n');
  // anonymous tokens only, as ECR Public hands them out
  mirror = await startRegistryServer({
    auth: 'bearer-aws',
    anonymous: true,
    manifests: { 'docker/library/nginx:1.27': '{}' },
  });
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await mirror.close();
});

async function cli(...argv: string[]) {
  return cliAt(mirror.url, ...argv);
}

async function cliAt(origin: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const client = new RegistryClient({ origin, timeoutMs: 2000 });
  const code = await runCli(argv, {
    cwd: dir,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    clientFor: () => client,
  });
  return { code, out: out.join(''), err: err.join('\n') };
}

describe('ecr-public-login rewrite', () => {
  it('--check prints the diff, changes nothing and exits 1', async () => {
    const run = await cli('rewrite', '--check', 'Dockerfile', 'compose.yaml');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`-FROM nginx:1.27\n+FROM ${P}/nginx:1.27\n FROM nginx:0.1\n`);
    expect(run.err).toContain('kept nginx:0.1 (tag not on the mirror) in Dockerfile');
    expect(run.err).toContain('kept bitnami/redis:7 (not an official image) in compose.yaml');
    expect(run.err).toContain('1 of 2 file(s) would change.');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM nginx:1.27\nFROM nginx:0.1\n');
    expect(mirror.tokens).toEqual([expect.objectContaining({ user: undefined })]);
  });

  it('without --check rewrites in place and exits 0; a second --check finds nothing', async () => {
    expect((await cli('rewrite', 'Dockerfile')).code).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(
      `FROM ${P}/nginx:1.27\nFROM nginx:0.1\n`,
    );
    const again = await cli('rewrite', '--check', 'Dockerfile');
    expect(again).toMatchObject({ code: 0, out: '' });
  });

  it('leaves image: beside build: (what the build produces) and says why', async () => {
    const compose = 'services:\n  app:\n    build: .\n    image: nginx:1.27\n';
    writeFileSync(join(dir, 'compose.yaml'), compose);
    const run = await cli('rewrite', 'compose.yaml');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(compose);
    expect(run.err).toContain(
      'kept nginx:1.27 (built here: beside build:, image: names what the build produces) in compose.yaml',
    );
    expect(mirror.requests).toEqual([]); // nothing to ask about
  });

  it('keeps every byte it does not edit: latin-1, broken UTF-8, a BOM, CRLF', async () => {
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    const odd = [0xe9, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98]; // none of it UTF-8
    writeFileSync(
      join(dir, 'Dockerfile'),
      bytes([0xef, 0xbb, 0xbf], '# caf', odd, '\r\nFROM nginx:1.27 AS x', [0xe9], '\r\n'),
    );
    expect((await cli('rewrite', 'Dockerfile')).code).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'))).toEqual(
      bytes([0xef, 0xbb, 0xbf], '# caf', odd, `\r\nFROM ${P}/nginx:1.27 AS x`, [0xe9], '\r\n'),
    );
  });

  it.each([
    [[], ''],
    [['build'], ''],
    [['rewrite'], 'no file given'],
    [['rewrite', '--force', 'Dockerfile'], 'unknown option --force'],
    [['rewrite', '--library-prefix'], '--library-prefix must be a registry host and path'],
    [
      ['rewrite', '--library-prefix', 'public.ecr.aws', 'Dockerfile'],
      '--library-prefix must be a registry host and path such as harbor.example.com/dockerhub/library: got "public.ecr.aws"',
    ],
    [['rewrite', '--library-prefix=public.ecr.aws/', 'Dockerfile'], 'got "public.ecr.aws"'],
  ])('%j is a usage error (exit 2): %s', async (argv, why) => {
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.err).toContain(why);
    expect(run.err).toContain('usage: ecr-public-login rewrite');
    expect(mirror.requests).toEqual([]);
  });

  it.each([[['--help']], [['rewrite', '--help']], [['-h']]])(
    '%j prints the usage on stdout and exits 0',
    async (argv) => {
      const run = await cli(...argv);
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out).toContain('Exit codes: 0 nothing to change');
    },
  );

  it('a library prefix with a trailing / is the same prefix', async () => {
    const run = await cli('rewrite', '--check', '--library-prefix', `${P}/`, 'Dockerfile');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`+FROM ${P}/nginx:1.27\n`);
  });

  it.each([
    ['a missing file', 'missing/Dockerfile', 'missing/Dockerfile could not be read (ENOENT'],
    ['a directory', '.', '. could not be read (EISDIR'],
    ['an unparsable Compose file', 'bad.yaml', 'bad.yaml could not be parsed ('],
  ])(
    '%s is exit 2 with the reason, even beside a file that would change',
    async (_n, file, why) => {
      writeFileSync(join(dir, 'bad.yaml'), 'services:\n  a: [\n');
      for (const check of [['--check'], []]) {
        const run = await cli('rewrite', ...check, 'Dockerfile', file);
        expect(run.code).toBe(2);
        expect(run.err).toContain(`error: not everything could be checked (exit 2):\n  ${why}`);
      }
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(`FROM ${P}/nginx:1.27`);
    },
  );

  it('an unreachable registry is exit 2, naming the reference and why', async () => {
    const run = await cliAt('http://127.0.0.1:9', 'rewrite', '--check', 'Dockerfile');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /error: not everything could be checked.*\n  nginx:1\.27: mirror check failed: .*ECONNREFUSED/,
    );
  });
});
