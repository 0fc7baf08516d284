// Which kind a file is: by its name first, then by its content; a YAML file is never a Dockerfile.
import { describe, expect, test } from '@jest/globals';
import { imageFileKind, IMAGE_FILE_KINDS } from '../../../src/images/file-kinds.js';

const FROM = 'FROM nginx:1.27\n';
const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n';

describe('imageFileKind', () => {
  test.each<[string, string, string | undefined]>([
    ['Dockerfile', '', 'Dockerfile'],
    ['build/app.Dockerfile', '', 'Dockerfile'],
    ['docker/Dockerfile.prod', '', 'Dockerfile'],
    ['Containerfile', '', 'Dockerfile'],
    ['compose.yaml', '', 'Compose file'],
    ['deploy/docker-compose.override.yml', '', 'Compose file'],
    ['stack.yml', COMPOSE, 'Compose file'],
    ['images/base', `# syntax=docker/dockerfile:1\n\nARG BASE=nginx\n${FROM}`, 'Dockerfile'],
    // A workflow or a manifest: YAML without `services:` is no kind, never a Dockerfile.
    ['.github/workflows/ci.yml', 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n', undefined],
    ['k8s/pod.yaml', `kind: Pod\n# ${FROM}`, undefined],
    ['README.md', '# Title\n\nSome text.\n', undefined],
  ])('%s → %s', (path, text, label) => {
    expect(imageFileKind(path, text)?.label).toBe(label);
  });
});

test('each kind says which files it reads, for the CLI and the README', () => {
  for (const kind of IMAGE_FILE_KINDS) expect(kind.names.length).toBeGreaterThan(10);
});
