import { describe, expect, test } from '@jest/globals';
import { parseMirrorSettings } from '../../../src/engines/settings.js';
import { InputReader } from '../../../src/runner/input-reader.js';

const parse = (inputs: Record<string, string>) => {
  const r = new InputReader((name) => inputs[name] ?? '');
  return { settings: parseMirrorSettings(r), problems: r.problems };
};

describe('mirror input', () => {
  test.each<[string, Record<string, string>, string[], boolean]>([
    ['empty: nothing', {}, [], false],
    [
      'comma list, table order',
      { mirror: 'buildkit, containers' },
      ['containers', 'buildkit'],
      false,
    ],
    [
      'lines and spaces',
      { mirror: 'containerd\ncontainers  docker' },
      ['docker', 'containers', 'containerd'],
      false,
    ],
    ['auto', { mirror: 'auto' }, [], true],
    ['auto and docker', { mirror: 'AUTO, docker' }, ['docker'], true],
    ['docker-mirror: true is docker', { 'docker-mirror': 'true' }, ['docker'], false],
    ['both, once', { mirror: 'docker', 'docker-mirror': 'true' }, ['docker'], false],
  ])('%s', (_name, inputs, engines, auto) => {
    expect(parse(inputs)).toEqual({ settings: { engines, auto }, problems: [] });
  });

  test('an unknown engine is a problem naming the choices', () => {
    expect(parse({ mirror: 'containers, podman' }).problems).toEqual([
      `'mirror' lists engines: docker, containers, containerd, buildkit or auto: got "podman"`,
    ]);
  });
});
