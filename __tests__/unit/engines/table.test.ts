import { describe, expect, test } from '@jest/globals';
import { ActionError } from '../../../src/common/errors.js';
import type { EngineRow } from '../../../src/engines/engine.js';
import { ENGINES, chooseRows, setUpMirrors, undoMirrors } from '../../../src/engines/table.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { testDeps } from './deps.js';

const source = {
  registry: ECR_PUBLIC_TARGET,
  prefix: 'public.ecr.aws/docker/library',
  credentials: { username: 'AWS', password: 'pw' },
};

/** A row that records what it was asked, present or not, failing when told. */
function row(
  name: EngineRow['name'],
  o: { present?: boolean; inAuto?: boolean; fails?: string } = {},
) {
  const calls: string[] = [];
  const r: EngineRow & { calls: string[] } = {
    name,
    inAuto: o.inAuto ?? true,
    calls,
    present: () => o.present ?? true,
    setUp: async () => {
      calls.push('setUp');
      if (o.fails) throw new ActionError(o.fails, 'Do this.');
      return `/${name}`;
    },
    undo: async () => {
      calls.push('undo');
      if (o.fails) throw new ActionError(`undo: ${o.fails}`);
      return [`${name} undone`];
    },
  };
  return r;
}

describe('engines table', () => {
  test('docker is first (post takes the daemon mirror away first) and not part of auto', () => {
    expect(ENGINES.map((r) => [r.name, r.inAuto])).toEqual([
      ['docker', false],
      ['containers', true],
      ['containerd', true],
      ['buildkit', true],
    ]);
  });

  test('auto: the rows present and in auto, plus any named; the rest said why', () => {
    const rows = [
      row('docker', { inAuto: false }),
      row('containers', { present: false }),
      row('containerd'),
      row('buildkit'),
    ];
    const { chosen, skipped } = chooseRows({ engines: [], auto: true }, testDeps(), rows);
    expect(chosen.map((r) => r.name)).toEqual(['containerd', 'buildkit']);
    expect(skipped).toEqual(['docker: only when named', 'containers: not installed']);
    const named = chooseRows({ engines: ['docker', 'containers'], auto: true }, testDeps(), rows);
    expect(named.chosen.map((r) => r.name)).toEqual([
      'docker',
      'containers',
      'containerd',
      'buildkit',
    ]);
  });

  test('named rows are set up even when their clients are not installed yet', () => {
    const rows = [row('containers', { present: false })];
    expect(
      chooseRows({ engines: ['containers'], auto: false }, testDeps(), rows).chosen,
    ).toHaveLength(1);
  });

  test('one row failing is a warning naming it; the others are still configured', async () => {
    const deps = testDeps();
    const rows = [
      row('containers'),
      row('containerd', { fails: 'no sudo here.' }),
      row('buildkit'),
    ];
    const mirrors = await setUpMirrors(
      { engines: ['containers', 'containerd', 'buildkit'], auto: false },
      source,
      { failedHost: 'x' },
      deps,
      rows,
    );
    expect(mirrors).toEqual({ containers: '/containers', buildkit: '/buildkit' });
    expect(deps.runtime.warnings).toEqual([
      'mirror containerd is not configured (the login itself succeeded): no sudo here.\nDo this.',
    ]);
  });

  test('no login: nothing set up, a notice per kind of engine', async () => {
    const deps = testDeps();
    const rows = [row('docker'), row('containers'), row('buildkit')];
    const settings = { engines: ['docker', 'containers', 'buildkit'] as const, auto: false };
    expect(
      await setUpMirrors(
        { ...settings, engines: [...settings.engines] },
        undefined,
        { failedHost: 'public.ecr.aws' },
        deps,
        rows,
      ),
    ).toEqual({});
    expect(rows.flatMap((r) => r.calls)).toEqual([]);
    expect(deps.runtime.notices).toEqual([
      'docker-mirror is not active: the public.ecr.aws login failed, so docker pulls Docker official images from Docker Hub as usual.',
      'mirror containers, buildkit not configured: the public.ecr.aws login failed, so they pull Docker official images from Docker Hub as usual.',
    ]);
  });

  test('a registry with no copy of the official images (or Docker Hub itself): nothing set up', async () => {
    const deps = testDeps();
    const rows = [row('containers')];
    const hub = { ...source, prefix: 'docker.io/library' };
    expect(
      await setUpMirrors(
        { engines: ['containers'], auto: false },
        hub,
        { failedHost: 'x' },
        deps,
        rows,
      ),
    ).toEqual({});
    expect(deps.runtime.notices[0]).toContain('has no copy of the Docker official images');
  });

  test('post undoes every row in table order; a failing one is a warning and the rest go on', async () => {
    const deps = testDeps();
    const rows = [row('docker'), row('containers', { fails: 'disk gone' }), row('buildkit')];
    await undoMirrors(deps, rows);
    expect(rows.map((r) => r.calls)).toEqual([['undo'], ['undo'], ['undo']]);
    expect(deps.runtime.warnings).toEqual(['mirror containers: undo: disk gone']);
    expect(deps.runtime.log.join('\n')).toContain('buildkit undone');
  });
});
