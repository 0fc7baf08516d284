import { describe, expect, test } from '@jest/globals';
import fs, {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { editHostsFile, ledgerOf, type HostsOwner } from '../../../src/engines/hosts-edit.js';
import { testDeps } from './deps.js';

const ORIGINAL = 'server = "https://mirror.example"\n# the user\'s own\n';

function setting() {
  const { hostsDir, dead } = testDeps();
  const file = path.join(hostsDir, 'docker.io/hosts.toml');
  const deps = {
    fs,
    isJobAlive: (o: { pid: number }) => !dead.has(o.pid),
    now: Date.now,
    sleep: () => undefined,
  };
  const owner = (n: number): HostsOwner => ({ id: `s${n}`, job: { pid: n, start: '1' } });
  const edit = (op: 'add' | 'remove', n: number, text = `ours ${n}\n`) =>
    editHostsFile(
      op === 'add' ? { op, file, text, owner: owner(n) } : { op, file, owner: owner(n) },
      deps,
    );
  return { file, hostsDir, dead, edit };
}

describe('hosts.toml edit', () => {
  test('no file before: written, then removed with the folders it needed', () => {
    const s = setting();
    expect(s.edit('add', 1)).toEqual({ pruned: [] });
    expect(readFileSync(s.file, 'utf8')).toBe('ours 1\n');
    expect(s.edit('remove', 1)).toEqual({ restored: 'exact', pruned: [] });
    expect(existsSync(path.dirname(s.hostsDir))).toBe(false);
  });

  test("the user's file: its bytes and mode back; the folder stays", () => {
    const s = setting();
    mkdirSync(path.dirname(s.file), { recursive: true });
    writeFileSync(s.file, ORIGINAL);
    chmodSync(s.file, 0o640);
    s.edit('add', 1);
    s.edit('remove', 1);
    expect(readFileSync(s.file, 'utf8')).toBe(ORIGINAL);
    expect(statSync(s.file).mode & 0o777).toBe(0o640);
    expect(existsSync(ledgerOf(s.file))).toBe(false);
  });

  test('two jobs: the first out leaves it, the last puts the original back', () => {
    const s = setting();
    mkdirSync(path.dirname(s.file), { recursive: true });
    writeFileSync(s.file, ORIGINAL);
    s.edit('add', 1);
    s.edit('add', 2);
    expect(s.edit('remove', 1)).toEqual({ restored: 'shared', pruned: [] });
    expect(readFileSync(s.file, 'utf8')).toBe('ours 2\n');
    expect(s.edit('remove', 2).restored).toBe('exact');
    expect(readFileSync(s.file, 'utf8')).toBe(ORIGINAL);
  });

  test('a killed job is pruned by the next one, whose post then restores everything', () => {
    const s = setting();
    s.edit('add', 1);
    s.dead.add(1);
    expect(s.edit('add', 2)).toEqual({ pruned: ['s1'] });
    expect(s.edit('remove', 2)).toEqual({ restored: 'exact', pruned: [] });
    expect(existsSync(s.file)).toBe(false);
  });

  test('rewritten by someone else during the job: left as it is', () => {
    const s = setting();
    s.edit('add', 1);
    writeFileSync(s.file, 'admin\n');
    expect(s.edit('remove', 1).restored).toBe('changed');
    expect(readFileSync(s.file, 'utf8')).toBe('admin\n');
  });

  test('nothing of ours: absent', () => {
    expect(setting().edit('remove', 1)).toEqual({ restored: 'absent', pruned: [] });
  });

  test('a held lock is waited for, then reported; a stale one is broken', () => {
    const s = setting();
    s.edit('add', 1);
    const lock = `${ledgerOf(s.file)}.lock`;
    writeFileSync(lock, '');
    let t = Date.now();
    const deps = { fs, isJobAlive: () => true, now: () => (t += 1000), sleep: () => undefined };
    expect(() =>
      editHostsFile({ op: 'add', file: s.file, text: 'x', owner: { id: 'b' } }, deps),
    ).toThrow(/stayed locked for 5 s/);
    t += 60_000;
    const later = { ...deps, now: () => Date.now() + 60_000 };
    expect(editHostsFile({ op: 'remove', file: s.file, owner: { id: 's1' } }, later).restored).toBe(
      'exact',
    );
  });
});
