import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CONTAINERS_STATE_KEY,
  containersRow,
  dropInDir,
  dropInText,
} from '../../../src/engines/containers.js';
import { ECR_PUBLIC_TARGET } from '../../../src/targets/ecr-public.js';
import { JOB, postDeps, testDeps, type TestDeps } from './deps.js';

const PREFIX = 'public.ecr.aws/docker/library';
const source = (prefix = PREFIX) => ({
  registry: ECR_PUBLIC_TARGET,
  prefix,
  credentials: { username: 'AWS', password: 'pw' },
});
const dockerLogin = (deps: TestDeps, config: object) => {
  mkdirSync(deps.env.DOCKER_CONFIG!, { recursive: true });
  writeFileSync(path.join(deps.env.DOCKER_CONFIG!, 'config.json'), JSON.stringify(config));
};

describe('containers row', () => {
  test('the drop-in: docker.io/library mirrored at the library prefix', () => {
    expect(dropInText(PREFIX, 'id')).toContain(
      '[[registry]]\nprefix = "docker.io/library"\nlocation = "docker.io/library"\n\n[[registry.mirror]]\nlocation = "public.ecr.aws/docker/library"\n',
    );
  });

  test('writes a drop-in of its own in the user folder; post removes it and the folders it made', async () => {
    const deps = testDeps();
    dockerLogin(deps, { auths: { 'public.ecr.aws': { auth: 'QVdTOnB3' } } });
    const file = await containersRow.setUp(source(), deps);
    expect(file).toBe(
      path.join(
        deps.home,
        `.config/containers/registries.conf.d/zz-ecr-public-login-${deps.stepId}.conf`,
      ),
    );
    expect(readFileSync(file!, 'utf8')).toBe(dropInText(PREFIX, deps.stepId));
    expect(deps.runtime.log.join('\n')).toContain('credentials from');
    const post = postDeps(deps);
    expect(await containersRow.undo(post)).toEqual([
      expect.stringMatching(/^mirror containers: removed .* and the folders it needed/),
    ]);
    expect(existsSync(path.join(deps.home, '.config'))).toBe(false);
  });

  test('a folder that was there stays, with the user files in it', async () => {
    const deps = testDeps();
    mkdirSync(dropInDir(deps.home), { recursive: true });
    writeFileSync(path.join(dropInDir(deps.home), 'mine.conf'), 'x');
    await containersRow.setUp(source(), deps);
    await containersRow.undo(postDeps(deps));
    expect(readdirSync(dropInDir(deps.home))).toEqual(['mine.conf']);
  });

  test('two jobs on one host: each removes only its own', async () => {
    const a = testDeps();
    const b = testDeps({
      home: a.home,
      env: a.env,
      stepId: '5151-1-9',
      job: { pid: 5151, start: '1' },
    });
    await containersRow.setUp(source(), a);
    const fileB = await containersRow.setUp(source(), b);
    await containersRow.undo(postDeps(a));
    expect(readdirSync(dropInDir(a.home))).toEqual([path.basename(fileB!)]);
  });

  test("a drop-in of a job that is gone is removed by the next run; a live job's is not", async () => {
    const deps = testDeps();
    mkdirSync(dropInDir(deps.home), { recursive: true });
    const dead = path.join(dropInDir(deps.home), 'zz-ecr-public-login-31337-5-6.conf');
    const live = path.join(
      dropInDir(deps.home),
      `zz-ecr-public-login-${JOB.pid}-${JOB.start}-1.conf`,
    );
    writeFileSync(dead, 'x');
    writeFileSync(live, 'x');
    deps.dead.add(31337);
    await containersRow.setUp(source(), deps);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  test('public.ecr.aws without a readable login: anonymous pulls, said so', async () => {
    const deps = testDeps();
    dockerLogin(deps, { auths: { 'public.ecr.aws': {} }, credsStore: 'desktop' });
    await containersRow.setUp(source(), deps);
    expect(deps.runtime.log.join('\n')).toContain(
      'anonymous pulls (docker keeps the public.ecr.aws login in credsStore "desktop", which they do not read)',
    );
  });

  test('a private registry without a login they read: a warning, nothing written', async () => {
    const deps = testDeps();
    const prefix = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library';
    await expect(containersRow.setUp(source(prefix), deps)).rejects.toThrow(
      /podman, buildah and skopeo would find no credential for 123456789012\.dkr\.ecr/,
    );
    expect(existsSync(deps.home)).toBe(false);
    expect(deps.runtime.savedState[CONTAINERS_STATE_KEY]).toBeUndefined();
  });

  test('a drop-in changed during the job is left; one already gone is said so', async () => {
    const deps = testDeps();
    const file = (await containersRow.setUp(source(), deps))!;
    writeFileSync(file, 'changed');
    expect((await containersRow.undo(postDeps(deps)))[0]).toContain(
      'it was changed during the job',
    );
    expect(readFileSync(file, 'utf8')).toBe('changed');
    const other = testDeps();
    const gone = (await containersRow.setUp(source(), other))!;
    const { unlinkSync } = await import('node:fs');
    unlinkSync(gone);
    expect((await containersRow.undo(postDeps(other)))[0]).toContain('was already gone');
  });

  test('no state: post does nothing', async () => {
    expect(await containersRow.undo(testDeps())).toEqual([]);
  });
});
