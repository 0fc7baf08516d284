import { expect, test } from '@jest/globals';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStdoutWriter } from '../../../src/runner/stdout.js';

const scratch = () => join(mkdtempSync(join(tmpdir(), 'stdout-')), 'out');

test('lines go to the descriptor as they are written', () => {
  const file = scratch();
  const fd = openSync(file, 'w');
  const fallback: Buffer[] = [];
  const write = createStdoutWriter(fd, (b) => fallback.push(b));
  write('::add-mask::x\n');
  write('Logged in to public.ecr.aws — ✓\n');
  closeSync(fd);
  expect(readFileSync(file, 'utf8')).toBe('::add-mask::x\nLogged in to public.ecr.aws — ✓\n');
  expect(fallback).toEqual([]);
});

test('a descriptor that refuses a write: that line and every later one go to the stream, in order', () => {
  const file = scratch();
  const fd = openSync(file, 'w');
  const fallback: string[] = [];
  const write = createStdoutWriter(fd, (b) => fallback.push(b.toString('utf8')));
  write('first\n');
  closeSync(fd); // now EBADF
  write('second\n');
  write('third\n');
  expect(readFileSync(file, 'utf8')).toBe('first\n');
  expect(fallback).toEqual(['second\n', 'third\n']);
});
