// @ts-check
// The other clients a workflow step may pull with: skopeo, podman, buildah (containers/image) and
// containerd's ctr, run against the registry stand-ins as a later step would run them, as root.
// Inside sandbox/in-namespace.sh only (its /var/lib and /run are private: root podman writes
// /var/lib/containers/cache whatever its storage settings).
//
//   const engines = await startEngines({ caCertPath: sb.infra.caCertPath });
//   const home = engines.newHome();                 // a runner user's empty $HOME
//   await engines.runSkopeo(['inspect', 'docker://busybox:latest'], { home });
//   await engines.runCtr(['images', 'pull', '--hosts-dir', dir, ref]);
//   await engines.stop();
//
// Trust: every client gets SSL_CERT_FILE (Go's system roots), as the real registries are trusted
// on a runner. certs.d is not enough: containers/image looks for docker.io's CA under
// certs.d/docker.io (not registry-1.docker.io, where infra.mjs puts it), and ctr has no certs.d.
// Storage: podman and buildah get CONTAINERS_STORAGE_CONF (vfs under our folder) and
// CONTAINERS_CONF (events to a file: there is no journald here); nothing under /etc is written.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CTR, startContainerd } from './containerd.mjs';
import { run } from './infra.mjs';

/** The Debian packages that bring each client (sandbox/ensure-packages.sh installs them). */
export const ENGINE_PACKAGES = {
  skopeo: 'skopeo',
  podman: 'podman',
  buildah: 'buildah',
  ctr: 'containerd',
};

/**
 * @typedef {{ ok: boolean, code: number | null, stdout: string, stderr: string }} RunResult
 * @typedef {{ home?: string, env?: Record<string, string | undefined>, input?: string }} RunOptions
 */

/** @param {string} dir */
function writeContainersFiles(dir) {
  const storage = path.join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const storageConf = path.join(dir, 'storage.conf');
  writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = ${JSON.stringify(path.join(storage, 'graph'))}\n` +
      `runroot = ${JSON.stringify(path.join(storage, 'run'))}\n`,
  );
  const containersConf = path.join(dir, 'containers.conf');
  writeFileSync(
    containersConf,
    `[engine]\nevents_logger = "file"\n` +
      `events_logfile_path = ${JSON.stringify(path.join(dir, 'events.log'))}\n` +
      `cgroup_manager = "cgroupfs"\n`,
  );
  return { CONTAINERS_STORAGE_CONF: storageConf, CONTAINERS_CONF: containersConf };
}

/**
 * Runs a client; never throws on a non-zero exit (the result says).
 * @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env
 * @param {string} [input]
 * @returns {Promise<RunResult>}
 */
async function runClient(cmd, args, env, input) {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, input });
    return { ok: true, code: 0, stdout, stderr };
  } catch (error) {
    const e = /** @type {{ code?: number, stdout?: string, stderr?: string, message: string }} */ (
      error
    );
    return {
      ok: false,
      code: e.code ?? null,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

/**
 * A clean env: only PATH and HOME from us, so the test process's DOCKER_CONFIG,
 * REGISTRY_AUTH_FILE or XDG_* never leak in; `env` entries set to undefined are dropped.
 * @param {string} home @param {Record<string, string | undefined>} [extra]
 */
export function clientEnv(home, extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { PATH: process.env.PATH, HOME: home, ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/**
 * @param {{ caCertPath: string, dir?: string }} options
 */
export async function startEngines(options) {
  const dir =
    options.dir ?? mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'engines-'));
  const storageEnv = writeContainersFiles(dir);
  /** @type {Awaited<ReturnType<typeof startContainerd>> | undefined} */
  let containerd;
  let homes = 0;
  const defaultHome = () => path.join(dir, 'home-default');
  mkdirSync(defaultHome(), { recursive: true });

  /** @param {string} cmd @param {string[]} args @param {RunOptions} o @param {object} [more] */
  const runIt = (cmd, args, o, more = {}) => {
    const env = { SSL_CERT_FILE: options.caCertPath, ...more, ...o.env };
    return runClient(cmd, args, clientEnv(o.home ?? defaultHome(), env), o.input);
  };

  return {
    dir,
    /** A fresh, empty home folder (what a new runner user's $HOME holds: nothing). */
    newHome() {
      const home = path.join(dir, `home-${++homes}`);
      mkdirSync(home, { recursive: true });
      return home;
    },
    /** @param {string[]} args @param {RunOptions} [o] */
    runSkopeo: (args, o = {}) => runIt('skopeo', args, o),
    /** @param {string[]} args @param {RunOptions} [o] */
    runPodman: (args, o = {}) => runIt('podman', args, o, storageEnv),
    /** @param {string[]} args @param {RunOptions} [o] */
    runBuildah: (args, o = {}) => runIt('buildah', args, o, storageEnv),
    /**
     * ctr against the private containerd (started on first use), native snapshotter (vfs-like:
     * works on any filesystem). Pass --hosts-dir and --user yourself: ctr has no default for either.
     * @param {string[]} args @param {RunOptions} [o]
     */
    async runCtr(args, o = {}) {
      containerd ??= await startContainerd(path.join(dir, 'containerd'));
      const env = { CONTAINERD_SNAPSHOTTER: 'native' };
      return runIt(CTR, ['--address', containerd.address, ...args], o, env);
    },
    /** Removes every image podman and buildah stored, so the next pull goes to a registry. */
    async forgetAll() {
      await runIt('buildah', ['rm', '--all'], {}, storageEnv);
      await runIt('podman', ['rmi', '--all', '--force'], {}, storageEnv);
      if (containerd) {
        const list = await runIt(CTR, ['--address', containerd.address, 'images', 'ls', '-q'], {});
        const refs = list.stdout.split('\n').filter(Boolean);
        if (refs.length)
          await runIt(CTR, ['--address', containerd.address, 'images', 'rm', ...refs], {});
      }
    },
    async stop() {
      await containerd?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
