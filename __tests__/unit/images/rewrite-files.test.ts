import { composeSites } from '../../../src/images/compose.js';
import { dockerfileSites } from '../../../src/images/dockerfile.js';
import { decodeFile } from '../../../src/images/bytes.js';
import { applySites, spliceSites } from '../../../src/images/sites.js';

// Every reference whose name starts with "n" or is busybox is "mirrored" here.
const mirror = (ref: string) =>
  /^(n|busybox)/.test(ref) ? `public.ecr.aws/docker/library/${ref}` : undefined;
const P = 'public.ecr.aws/docker/library/';

describe('Dockerfile rewrite, byte-exact', () => {
  it.each([
    ['FROM nginx:1.27\n', `FROM ${P}nginx:1.27\n`],
    ['FROM nginx\r\nRUN x\r\n', `FROM ${P}nginx\r\nRUN x\r\n`],
    [
      'FROM --platform=$BUILDPLATFORM node:20 AS build\nFROM build\n',
      `FROM --platform=$BUILDPLATFORM ${P}node:20 AS build\nFROM build\n`,
    ],
    ['FROM scratch\nCOPY --from=nginx:1 /a /b\n', `FROM scratch\nCOPY --from=${P}nginx:1 /a /b\n`],
    [
      'FROM node AS nginx\nCOPY --from=nginx /a /b\n',
      `FROM ${P}node AS nginx\nCOPY --from=nginx /a /b\n`,
    ],
    [
      'FROM node\nFROM alpine\nCOPY --from=0 /a /b\n',
      `FROM ${P}node\nFROM alpine\nCOPY --from=0 /a /b\n`,
    ],
    [
      'FROM alpine\nRUN --mount=type=bind,from=busybox:1.36,target=/b \\\n  ls /b\n',
      `FROM alpine\nRUN --mount=type=bind,from=${P}busybox:1.36,target=/b \\\n  ls /b\n`,
    ],
    ['ARG BASE=node:20\nFROM ${BASE}\n', `ARG BASE=${P}node:20\nFROM \${BASE}\n`],
    ['ARG BASE="node:20"\nFROM $BASE\n', `ARG BASE="${P}node:20"\nFROM $BASE\n`],
    ['ARG BASE\nFROM $BASE\n', 'ARG BASE\nFROM $BASE\n'],
    ['ARG TAG=20\nFROM node:${TAG}\n', 'ARG TAG=20\nFROM node:${TAG}\n'],
    ['ARG R=docker.io\nFROM ${R}/nginx\n', 'ARG R=docker.io\nFROM ${R}/nginx\n'],
    ['FROM alpine\nARG BASE=node\nFROM $BASE\n', 'FROM alpine\nARG BASE=node\nFROM $BASE\n'],
    [
      '# FROM nginx\nFROM \\\n  nginx:1 \\\n  AS web\n',
      `# FROM nginx\nFROM \\\n  ${P}nginx:1 \\\n  AS web\n`,
    ],
    [
      'FROM alpine\nRUN <<EOF\nFROM nginx\nEOF\nCOPY <<X /f\nnginx\nX\n',
      'FROM alpine\nRUN <<EOF\nFROM nginx\nEOF\nCOPY <<X /f\nnginx\nX\n',
    ],
    ['FROM nginx@sha256:' + 'a'.repeat(64) + '\n', `FROM ${P}nginx@sha256:${'a'.repeat(64)}\n`],
    ['FROM alpine:3\nFROM Nginx\n', 'FROM alpine:3\nFROM Nginx\n'],
    ['from nginx as x\n', `from ${P}nginx as x\n`],
    // BuildKit: FROM <name> is a stage only when an earlier stage has that name
    ['FROM nginx AS a\nFROM alpine AS nginx\n', `FROM ${P}nginx AS a\nFROM alpine AS nginx\n`],
    [
      'FROM alpine AS nginx\nFROM nginx\nFROM NGINX AS b\n',
      'FROM alpine AS nginx\nFROM nginx\nFROM NGINX AS b\n',
    ],
    // --from names a stage wherever it is defined (a later one is a build error, not an image)
    [
      'FROM alpine\nCOPY --from=nginx /a /b\nFROM alpine AS nginx\n',
      'FROM alpine\nCOPY --from=nginx /a /b\nFROM alpine AS nginx\n',
    ],
    [
      'FROM alpine\nONBUILD COPY --from=nginx:1 /a /b\nONBUILD RUN --mount=from=busybox,target=/b ls\n',
      `FROM alpine\nONBUILD COPY --from=${P}nginx:1 /a /b\nONBUILD RUN --mount=from=${P}busybox,target=/b ls\n`,
    ],
  ])('%j', (before, after) => {
    expect(applySites(before, dockerfileSites(before), mirror)).toBe(after);
  });
});

describe('Compose rewrite, byte-exact', () => {
  it.each([
    [
      'services:\n  web:\n    image: nginx:1.27\n',
      `services:\n  web:\n    image: ${P}nginx:1.27\n`,
    ],
    [
      '# top\nservices:\n  web:\n    image: "nginx:1.27" # pinned\n    ports: [ "80:80" ]\n',
      `# top\nservices:\n  web:\n    image: "${P}nginx:1.27" # pinned\n    ports: [ "80:80" ]\n`,
    ],
    ["services: {web: {image: 'nginx'}}\n", `services: {web: {image: '${P}nginx'}}\n`],
    [
      'x-base: &base\n  image: &img nginx:1\nservices:\n  a:\n    <<: *base\n  b:\n    image: *img\n',
      'x-base: &base\n  image: &img nginx:1\nservices:\n  a:\n    <<: *base\n  b:\n    image: *img\n',
    ],
    [
      'services:\n  a:\n    image: &img nginx:1\n  b:\n    image: *img\n',
      `services:\n  a:\n    image: &img ${P}nginx:1\n  b:\n    image: *img\n`,
    ],
    // image: beside build: is what the build produces: nginx would be mirrored, so this can fail
    [
      'services:\n  a:\n    image: ${IMAGE:-nginx}\n  b:\n    image: nginx:1\n    build: .\n',
      'services:\n  a:\n    image: ${IMAGE:-nginx}\n  b:\n    image: nginx:1\n    build: .\n',
    ],
    [
      'services:\n  b:\n    build:\n      context: .\n    image: nginx:1\n  c:\n    image: nginx:1\n',
      `services:\n  b:\n    build:\n      context: .\n    image: nginx:1\n  c:\n    image: ${P}nginx:1\n`,
    ],
    [
      'services:\n  a:\n    image: >-\n      nginx\n',
      'services:\n  a:\n    image: >-\n      nginx\n',
    ],
    ['image: nginx\n', 'image: nginx\n'],
  ])('%j', (before, after) => {
    expect(applySites(before, composeSites(before), mirror)).toBe(after);
  });

  it('refuses a file that is not YAML', () => {
    expect(() => composeSites('services:\n  a: [\n')).toThrow();
  });
});

describe('splicing is byte-exact whatever the encoding', () => {
  it.each([
    ['latin-1 before and after', [0x23, 0xe9, 0x0a], [0x20, 0xe9, 0x0a]],
    ['a 4-byte character and a lone continuation byte', [0xf0, 0x9f, 0x90, 0xb3, 0x80, 0x0a], []],
    [
      'a truncated sequence, a surrogate, an overlong form',
      [0xe2, 0x82, 0x0a, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0x0a],
      [0x0a, 0xf4, 0x90],
    ],
  ])('%s', (_name, head, tail) => {
    const before = Buffer.concat([
      Buffer.from(head),
      Buffer.from('FROM nginx:1'),
      Buffer.from(tail),
    ]);
    const file = decodeFile(before);
    const after = spliceSites(file, dockerfileSites(file.text), mirror);
    expect(after).toEqual(
      Buffer.concat([Buffer.from(head), Buffer.from(`FROM ${P}nginx:1`), Buffer.from(tail)]),
    );
  });
});
