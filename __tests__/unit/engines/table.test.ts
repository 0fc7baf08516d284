import { describe, expect, test } from '@jest/globals';
import { ActionError } from '../../../src/common/errors.js';
import type { EngineRow } from '../../../src/engines/engine.js';
import type { EngineName } from '../../../src/engines/settings.js';
import { ENGINES, beginMirrors, chooseRows, undoMirrors } from '../../../src/engines/table.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { testDeps } from './deps.js';

const place = { registry: ECR_PUBLIC_TARGET, prefix: 'public.ecr.aws/docker/library' };
const credentials = { username: 'AWS', password: 'pw' };

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
    const mirrors = await beginMirrors(
      { engines: ['containers', 'containerd', 'buildkit'], auto: false },
      place,
      deps,
      rows,
    ).finish(credentials);
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
      await beginMirrors({ ...settings, engines: [...settings.engines] }, place, deps, rows).finish(
        undefined,
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
    const hub = { ...place, prefix: 'docker.io/library' };
    expect(
      await beginMirrors({ engines: ['containers'], auto: false }, hub, deps, rows).finish(
        credentials,
      ),
    ).toEqual({});
    expect(deps.runtime.notices[0]).toContain('has no copy of the Docker official images');
  });

  describe('rows begun while the login is out', () => {
    /** A row with a begin step: what was begun, set up (with which password) or cancelled. */
    function early(name: EngineRow['name'], o: { beginThrows?: string } = {}) {
      const r = row(name);
      r.begin = () => {
        r.calls.push('begin');
        if (o.beginThrows) throw new ActionError(o.beginThrows, 'Do that.');
        return {
          setUp: async (c) => (r.calls.push(`begun setUp ${c.password}`), `/${name}-early`),
          cancel: async () => {
            await new Promise((resolve) => setTimeout(resolve, 20)); // as a process's exit
            r.calls.push('cancel');
          },
        };
      };
      return r;
    }
    const settings = { engines: ['docker', 'containers'] as EngineName[], auto: false };

    test('begun at once; with the credential each is set up from what was begun', async () => {
      const rows = [early('docker'), row('containers')];
      const begun = beginMirrors(settings, place, testDeps(), rows);
      expect(rows.map((r) => r.calls)).toEqual([['begin'], []]);
      expect(await begun.finish(credentials)).toEqual({
        docker: '/docker-early',
        containers: '/containers',
      });
      expect(rows.map((r) => r.calls)).toEqual([['begin', 'begun setUp pw'], ['setUp']]);
    });

    test('the login failed: what was begun is cancelled (awaited), nothing set up', async () => {
      const rows = [early('docker'), row('containers')];
      const deps = testDeps();
      expect(await beginMirrors(settings, place, deps, rows).finish(undefined)).toEqual({});
      expect(rows.map((r) => r.calls)).toEqual([['begin', 'cancel'], []]);
      expect(deps.runtime.notices[0]).toContain('the public.ecr.aws login failed');
    });

    test('a registry with no official images: nothing is begun', async () => {
      const rows = [early('docker')];
      const hub = { ...place, prefix: 'docker.io/library' };
      await beginMirrors(settings, hub, testDeps(), rows).finish(credentials);
      expect(rows[0].calls).toEqual([]);
    });

    test('a begin that throws is a warning naming the row once the login is in; the rest go on', async () => {
      const rows = [early('docker', { beginThrows: 'cannot spawn.' }), row('containers')];
      const deps = testDeps();
      const begun = beginMirrors(settings, place, deps, rows);
      expect(await begun.finish(credentials)).toEqual({ containers: '/containers' });
      expect(deps.runtime.warnings).toEqual([
        'docker-mirror is not configured (the login itself succeeded): cannot spawn.\nDo that.',
      ]);
    });
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
