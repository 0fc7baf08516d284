import { expect, test } from '@jest/globals';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFile } from '../../../src/common/replace-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'replace-file-'));

test('the file is replaced whole, with the mode asked for whatever the umask, and no temporary left', () => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, 'old', { mode: 0o644 });
  const umask = process.umask(0o077);
  try {
    replaceFile(file, 'new', 0o640);
  } finally {
    process.umask(umask);
  }
  expect(readFileSync(file, 'utf8')).toBe('new');
  expect(statSync(file).mode & 0o777).toBe(0o640);
  expect(readdirSync(d)).toEqual(['config.json']);
});

test('a rename that fails leaves the file as it was and no temporary behind', () => {
  const d = dir();
  const target = join(d, 'config.json');
  mkdirSync(join(target, 'in-the-way'), { recursive: true }); // a folder: the rename fails
  expect(() => replaceFile(target, 'new', 0o600)).toThrow();
  expect(readdirSync(d)).toEqual(['config.json']);
});
