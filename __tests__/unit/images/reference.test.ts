import { readFileSync } from 'node:fs';
import {
  officialName,
  parseReference,
  qualified,
  referenceProblem,
} from '../../../src/images/reference.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('image references are normalised as docker pull reads them', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest', 'nginx'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    ['library/nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    ['docker.io/nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    ['index.docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    ['registry-1.docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx'],
    [`nginx@${D}`, `docker.io/library/nginx@${D}`, 'nginx'],
    [`nginx:1.27@${D}`, `docker.io/library/nginx:1.27@${D}`, 'nginx'],
    [
      'eclipse-temurin:17.0.12_7-jdk-alpine',
      'docker.io/library/eclipse-temurin:17.0.12_7-jdk-alpine',
      'eclipse-temurin',
    ],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7', undefined],
    ['ghcr.io/o/i:t', 'ghcr.io/o/i:t', undefined],
    ['localhost/nginx', 'localhost/nginx:latest', undefined],
    ['localhost:5000/nginx:1', 'localhost:5000/nginx:1', undefined],
    ['[::1]:5000/a/b', '[::1]:5000/a/b:latest', undefined],
    ['Registry/nginx', 'registry/nginx:latest', undefined],
    ['public.ecr.aws/docker/library/nginx:1', 'public.ecr.aws/docker/library/nginx:1', undefined],
  ])('%s -> %s', (text, full, official) => {
    const ref = parseReference(text);
    expect(qualified(ref)).toBe(full);
    expect(officialName(ref)).toBe(official);
  });

  it.each([
    ['Nginx', 'lower-case'],
    ['nginx:', 'not an image reference'],
    ['nginx:-x', 'not an image reference'],
    ['nginx@sha256:abc', 'not an image reference'],
    [`nginx@sha256:${'A'.repeat(64)}`, '64 lower-case hex'],
    ['ngi__-nx', 'not an image reference'],
    ['-nginx', 'not an image reference'],
    ['ngnix/', 'not an image reference'],
    ['nginx:' + 'x'.repeat(129), 'not an image reference'],
    ['a'.repeat(256), 'longer than 255'],
    ['$BASE', 'not an image reference'],
    ['', 'not an image reference'],
  ])('%s is refused (%s)', (text, problem) => {
    expect(referenceProblem(text)).toContain(problem);
    expect(() => parseReference(text)).toThrow(problem);
  });
});

// Upstream's own tables, as data: distribution/reference and go-digest (source and commit in the file).
const upstream = JSON.parse(
  readFileSync(new URL('../../fixtures/upstream-references.json', import.meta.url), 'utf8'),
) as {
  referenceParse: { input: string; err?: string; domain?: string; tag?: string; digest?: string }[];
  validRepoNames: string[];
  invalidRepoNames: string[];
  validRepositoryNames: string[];
  invalidRepositoryNames: string[];
  parseDigest: { input: string; err?: string }[];
};

// Where our rule differs from the upstream row, and why (everything else must agree).
const OURS: Record<string, boolean> = {
  // refused upstream only because that test does not register sha512; go-digest does by default
  [`validname@sha512:${'f'.repeat(128)}`]: true,
};

describe('distribution/reference TestReferenceParse', () => {
  it.each(upstream.referenceParse.map((row) => [row.input.slice(0, 80), row] as const))(
    '%j',
    (_name, row) => {
      const valid = OURS[row.input] ?? row.err === undefined;
      expect(referenceProblem(row.input) === undefined).toBe(valid);
      if (!valid || row.err) return;
      const ref = parseReference(row.input);
      expect(ref.tag).toBe(row.tag);
      expect(ref.digest).toBe(row.digest);
      if (row.domain && /[.:]|^localhost$/.test(row.domain)) {
        expect(ref.registry).toBe(row.domain.toLowerCase());
      }
    },
  );
});

describe('distribution/reference TestValidateReferenceName and TestValidateRemoteName', () => {
  it.each([...upstream.validRepoNames, ...upstream.validRepositoryNames])('%s is valid', (name) => {
    expect(referenceProblem(name)).toBeUndefined();
  });
  it.each([...upstream.invalidRepoNames, ...upstream.invalidRepositoryNames])(
    '%s is refused',
    (name) => {
      expect(referenceProblem(name)).toBeDefined();
    },
  );
});

describe('go-digest TestParseDigest, as the digest of a reference', () => {
  // That test registers sha384; go-digest's defaults (and docker's) are sha256 and sha512.
  const registered = (input: string) => !input.startsWith('sha384:');
  it.each(upstream.parseDigest.map((row) => [row.input, row] as const))('%j', (_name, row) => {
    const valid = row.err === undefined && registered(row.input);
    expect(referenceProblem(`nginx@${row.input}`) === undefined).toBe(valid);
  });
});

describe('limits as distribution counts them', () => {
  it.each([
    [`example.com/${'a'.repeat(255)}:tag`, true], // the path alone is 255
    [`${'a'.repeat(247)}`, true], // library/ + 247 = 255
    [`${'a'.repeat(248)}`, false], // library/ + 248 = 256
    [`nginx@sha512:${'a'.repeat(128)}`, true],
    [`nginx@sha512:${'a'.repeat(64)}`, false],
    [`nginx@md5:${'a'.repeat(32)}`, false],
    ['a'.repeat(64), false], // an image ID
    [`${'a'.repeat(64)}:tag`, true],
  ])('%s valid: %s', (text, valid) => {
    expect(referenceProblem(text) === undefined).toBe(valid);
  });
});
