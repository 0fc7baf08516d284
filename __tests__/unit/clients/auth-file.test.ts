import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
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
