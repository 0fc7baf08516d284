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
