import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editAuthJson, undoAuthJson } from '../../../src/clients/auth-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'auth-file-'));
const setEntry = (json: Record<string, unknown>) => ({
  ...json,
  auths: { 'public.ecr.aws': { auth: 'QUJD' } },
});

test('an existing file: mode kept, and post puts back the very bytes', () => {
  const d = dir();
  const file = join(d, 'config.json');
  const before = '{ "auths": {},   "x": 1 }';
  writeFileSync(file, before, { mode: 0o640 });
  const w = editAuthJson(file, 'public.ecr.aws', setEntry, { runnerTemp: d });
  expect(JSON.parse(readFileSync(file, 'utf8')).auths['public.ecr.aws']).toEqual({ auth: 'QUJD' });
  expect(statSync(file).mode & 0o777).toBe(0o640);
  expect(statSync(w.original!).mode & 0o777).toBe(0o600);
  expect(undoAuthJson(w)).toMatch(/restored/);
  expect(readFileSync(file, 'utf8')).toBe(before);
  expect(existsSync(w.original!)).toBe(false);
});

test('a new file and its folders: removed by post', () => {
  const d = dir();
  const file = join(d, 'a', 'b', 'auth.json');
  const w = editAuthJson(file, 'public.ecr.aws', setEntry);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  undoAuthJson(w);
  expect(existsSync(join(d, 'a'))).toBe(false);
});

test('changed by someone else since: only our entry is undone', () => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, JSON.stringify({ auths: { 'public.ecr.aws': { auth: 'T0xE' } } }));
  const w = editAuthJson(file, 'public.ecr.aws', setEntry, { runnerTemp: d });
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.auths['ghcr.io'] = { auth: 'TkVX' };
  writeFileSync(file, JSON.stringify(json));
  expect(undoAuthJson(w)).toMatch(/only this step's public.ecr.aws entry/);
  expect(JSON.parse(readFileSync(file, 'utf8')).auths).toEqual({
    'public.ecr.aws': { auth: 'T0xE' },
    'ghcr.io': { auth: 'TkVX' },
  });
});

test('a file that is not a JSON object is left alone', () => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, '[1]');
  expect(() => editAuthJson(file, 'k', setEntry)).toThrow(/not a JSON object/);
  expect(readFileSync(file, 'utf8')).toBe('[1]');
});

test('rewritten since with the very same bytes (another file now): post still restores', () => {
  const d = dir();
  const file = join(d, 'config.json');
  const before = '{"auths":{}}';
  writeFileSync(file, before);
  const w = editAuthJson(file, 'public.ecr.aws', setEntry, { runnerTemp: d });
  const ours = readFileSync(file);
  rmSync(file);
  writeFileSync(file, ours); // a new file: its stamp differs, its bytes do not
  expect(undoAuthJson(w)).toMatch(/restored as it was before this step/);
  expect(readFileSync(file, 'utf8')).toBe(before);
});

test('changed in place to bytes of the same size: post sees it and undoes only our entry', () => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, '{"x":"aaaa"}');
  const w = editAuthJson(file, 'public.ecr.aws', setEntry, { runnerTemp: d });
  const changed = readFileSync(file, 'utf8').replace('"aaaa"', '"bbbb"');
  writeFileSync(file, changed); // same inode, same size
  utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1)); // whatever the clock's tick
  expect(undoAuthJson(w)).toMatch(/only this step's public.ecr.aws entry/);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 'bbbb', auths: {} });
});

test('no copy kept (keep: false): post takes out only our entry, whatever the stamp says', () => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, '{ "x": 1 }');
  const w = editAuthJson(file, 'public.ecr.aws', setEntry, { runnerTemp: d, keep: false });
  expect(w.original).toBeUndefined();
  expect(undoAuthJson(w)).toMatch(/only this step's public.ecr.aws entry/);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 1, auths: {} });
});
