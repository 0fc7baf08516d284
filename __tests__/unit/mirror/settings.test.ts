import { describe, expect, test } from '@jest/globals';
import { parseMirrorPort } from '../../../src/mirror/settings.js';
import { InputReader } from '../../../src/runner/input-reader.js';

const parse = (port: string, dockerMirror = true) => {
  const r = new InputReader((name) => (name === 'mirror-port' ? port : ''));
  return { port: parseMirrorPort(r, dockerMirror), problems: r.problems, notes: r.notes };
};

describe('mirror-port', () => {
  test('empty: a free port', () =>
    expect(parse('')).toEqual({ port: undefined, problems: [], notes: [] }));
  test('a port from 1024 to 65535', () => expect(parse('5000').port).toBe(5000));
  test.each(['80', '65536', '5000x', '-1', '05000000'])('%s is refused', (raw) => {
    expect(parse(raw).problems).toEqual([expect.stringContaining(`'mirror-port' must be empty`)]);
  });
  test('without docker-mirror it is a note', () =>
    expect(parse('5000', false).notes).toEqual([expect.stringContaining('is ignored')]));
});
