import { InputError } from '../../../src/errors.js';
import { parseInputs } from '../../../src/runner/inputs.js';

const parse = (values: Record<string, string>) => parseInputs((name) => values[name] ?? '').images;
const problems = (values: Record<string, string>): string[] => {
  try {
    parse(values);
  } catch (error) {
    return (error as InputError).problems;
  }
  throw new Error('accepted');
};

describe('image inputs', () => {
  it('reads images one per line or comma-separated, without duplicates', () => {
    expect(
      parse({ images: 'nginx:1.27, alpine\n\n  bitnami/redis:7\r\nnginx:1.27' }).images,
    ).toEqual(['nginx:1.27', 'alpine', 'bitnami/redis:7']);
  });

  it('reads rewrite globs one per line; # lines are comments', () => {
    const globs = '**/Dockerfile*\n# compose\ncompose.y*ml\n!vendor/**';
    expect(parse({ rewrite: globs }).rewrite).toEqual([
      '**/Dockerfile*',
      'compose.y*ml',
      '!vendor/**',
    ]);
  });

  it.each([
    [
      { images: 'nginx:1.27\nNginx' },
      `'images' has an invalid reference "Nginx": a repository name must be lower-case`,
    ],
    [
      { images: 'nginx@sha256:12' },
      `'images' has an invalid reference "nginx@sha256:12": not an image reference`,
    ],
    [{ images: 'a\tb' }, `'images' contains a control character: got "a\\tb"`],
    [
      { rewrite: '/etc/passwd' },
      `'rewrite' has "/etc/passwd": globs are relative to GITHUB_WORKSPACE`,
    ],
    [
      { rewrite: '~/Dockerfile' },
      `'rewrite' has "~/Dockerfile": globs are relative to GITHUB_WORKSPACE`,
    ],
    [{ rewrite: 'C:\\x\\Dockerfile' }, `'rewrite' has "C:\\\\x\\\\Dockerfile": globs are relative`],
    [
      { rewrite: 'app/../../Dockerfile' },
      `'rewrite' has "app/../../Dockerfile": a \`..\` segment would leave the workspace`,
    ],
    [{ rewrite: '!../x' }, `'rewrite' has "!../x": a \`..\` segment`],
    [{ 'verify-digest': 'yes' }, `'verify-digest' must be true or false: got "yes"`],
    [
      { 'fallback-library-prefix': 'https://harbor/x' },
      `'fallback-library-prefix' must be a registry host and path`,
    ],
    [
      { 'fallback-library-prefix': 'harbor.example.com' },
      `'fallback-library-prefix' must be a registry host and path`,
    ],
    [{ images: 'x'.repeat(70000) }, `'images' is longer than 65536 characters (70000)`],
  ])('%j is refused, naming the input', (values, problem) => {
    expect(problems(values).join('\n')).toContain(problem);
  });

  it('says fallback-library-prefix is ignored when the fallback is Docker Hub', () => {
    const fallback = { 'fallback-username': 'org', 'fallback-token': 't' };
    const notes = (values: Record<string, string>) =>
      parseInputs((name) => ({ ...fallback, ...values })[name] ?? '').notes;
    const prefix = { 'fallback-library-prefix': 'harbor.example.com/dockerhub/library' };
    expect(notes(prefix)).toEqual([
      `'fallback-library-prefix' (harbor.example.com/dockerhub/library) is ignored: 'fallback-registry' is Docker Hub, where official images are docker.io/library. Set 'fallback-registry' to the registry that prefix is on, or remove 'fallback-library-prefix'.`,
    ]);
    expect(notes({ ...prefix, 'fallback-registry': 'index.docker.io' })).toHaveLength(1);
    expect(notes({ ...prefix, 'fallback-registry': 'harbor.example.com' })).toEqual([]);
    expect(notes({})).toEqual([]);
  });

  it('accepts a fallback library prefix and drops a trailing slash', () => {
    expect(
      parse({ 'fallback-library-prefix': 'harbor.example.com:8443/dockerhub/library/' }),
    ).toMatchObject({
      fallbackLibraryPrefix: 'harbor.example.com:8443/dockerhub/library',
    });
  });
});
