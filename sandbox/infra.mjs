// @ts-check
// Real local infrastructure for end-to-end tests: a TLS registry (Debian's docker-registry, htpasswd
// auth) that answers as public.ecr.aws and as Docker Hub, and a private dockerd that trusts it.
// Everything listens on loopback; it must run under sandbox/in-namespace.sh, which maps the
// registry names to ::1 and gives us a private /etc/docker.
//
// Why ::1 and port 443: dockerd treats 127.0.0.0/8 registries as insecure and, after an HTTPS 401,
// retries over plain HTTP, hiding auth errors. ::1 is not on that list.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_HOSTS = ['public.ecr.aws', 'registry-1.docker.io', 'index.docker.io'];
export const ECR_IMAGE = 'public.ecr.aws/docker/library/busybox:latest';
export const HUB_IMAGE = 'docker.io/library/busybox:latest';

const CERT_NAMES = [...REGISTRY_HOSTS, 'auth.docker.io'];
const DOCKERD = '/usr/sbin/dockerd';
const REGISTRY = '/usr/bin/docker-registry';
const BUSYBOX = '/bin/busybox';
const SEED_USER = 'sandbox-seeder';
// bcrypt only ever reads the first 72 bytes of a password.
const BCRYPT_MAX = 72;
const STOP_TIMEOUT_MS = 8000;
const READY_TIMEOUT_MS = 20000;

/**
 * @typedef {{ username: string, password: string }} User
 * @typedef {{ workDir?: string, users?: User[], log?: (line: string) => void }} InfraOptions
 * @typedef {{ name: string, argv: string[], env: NodeJS.ProcessEnv, logFile: string,
 *   child?: import('node:child_process').ChildProcess }} Service
 */

// ---------------------------------------------------------------- child processes

/**
 * Runs a command to completion. On a non-zero exit it rejects with an Error whose message has the
 * stderr, and which carries `code`, `stdout` and `stderr`.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ input?: string | Buffer, env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd });
    /** @type {Buffer[]} */ const out = [];
    /** @type {Buffer[]} */ const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code === 0) return resolve({ stdout, stderr });
      const status = signal ?? `exit ${code}`;
      const error = new Error(`${cmd} ${args.join(' ')} failed (${status}): ${stderr.trim()}`);
      reject(Object.assign(error, { code, stdout, stderr }));
    });
    // A program that exits without reading its input is judged by its exit status.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Starts a long-running service, its output appended to its log file. setpriv's pdeathsig kills
 * it if this Node process dies without running its exit handlers (SIGKILL, crash).
 * @param {Service} service
 */
async function startService(service) {
  const log = await fsp.open(service.logFile, 'a');
  const [cmd, ...args] = service.argv;
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', cmd, ...args], {
    env: service.env,
    stdio: ['ignore', log.fd, log.fd],
  });
  const spawned = new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await log.close();
  await spawned;
  service.child = child;
}

/**
 * SIGTERM, then SIGKILL after a timeout. Resolves once the process has exited.
 * @param {Service} service
 */
async function stopService(service) {
  const child = service.child;
  service.child = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** @param {Service} service */
function isRunning(service) {
  const child = service.child;
  return !!child && child.exitCode === null && child.signalCode === null;
}

/**
 * Polls probe() until it resolves true; fails early if the service dies.
 * @param {Service} service
 * @param {() => Promise<boolean>} probe
 */
async function waitReady(service, probe) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    if (!isRunning(service)) break;
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  const tail = await fsp.readFile(service.logFile, 'utf8').catch(() => '');
  const why = isRunning(service) ? `not ready after ${READY_TIMEOUT_MS} ms` : 'exited';
  const hint = tail.includes('address already in use')
    ? ' ([::1]:443 is taken: is another sandbox running on this machine? Only one can run at a time.)'
    : '';
  const lastLines = tail.split('\n').slice(-15).join('\n');
  throw new Error(`${service.name} ${why}${hint}; last log lines:\n${lastLines}`);
}

/**
 * dockerd mounts its data-root on itself and leaves it mounted if it is killed; rm cannot remove
 * a mount point. Synchronous so the 'exit' hook can use it too.
 * @param {string} dir
 */
function unmountUnder(dir) {
  const prefix = `${dir}/`;
  const mountpoints = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountpoint) => mountpoint?.startsWith(prefix))
    .sort()
    .reverse();
  for (const mountpoint of mountpoints) spawnSync('umount', ['-n', '-l', mountpoint]);
}

// ---------------------------------------------------------------- TLS

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = ecr-public-login sandbox CA
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = ${CERT_NAMES.map((name) => `DNS:${name}`).join(', ')}
authorityKeyIdentifier = keyid
`;

/**
 * A throwaway CA and a server certificate for all registry names, signed by it.
 * @param {string} dir
 */
async function makeCertificates(dir) {
  await fsp.mkdir(dir, { recursive: true });
  const config = path.join(dir, 'openssl.cnf');
  await fsp.writeFile(config, OPENSSL_CONFIG);
  const ca = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  const server = { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
  const common = ['req', '-config', config, '-x509', '-days', '2', '-nodes'];
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  // OPENSSL_CONF=/dev/null: the machine's openssl.cnf must not add extensions of its own.
  const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
  await run(
    'openssl',
    [...common, ...newKey, '-extensions', 'ca_ext', '-keyout', ca.key, '-out', ca.cert],
    { env },
  );
  const serverArgs = [
    '-extensions',
    'server_ext',
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-subj',
    `/CN=${CERT_NAMES[0]}`,
  ];
  await run(
    'openssl',
    [...common, ...newKey, ...serverArgs, '-keyout', server.key, '-out', server.cert],
    { env },
  );
  return { ca, server };
}

/**
 * dockerd trusts a registry's CA through /etc/docker/certs.d/<host>/ca.crt (the private one).
 * @param {string} etcDocker
 * @param {string} caCert
 */
async function trustCa(etcDocker, caCert) {
  for (const host of REGISTRY_HOSTS) {
    const dir = path.join(etcDocker, 'certs.d', host);
    await fsp.mkdir(dir, { recursive: true });
    await fsp.copyFile(caCert, path.join(dir, 'ca.crt'));
  }
}

// ---------------------------------------------------------------- htpasswd

/** @param {User} user */
function checkUser(user) {
  if (!user.username || /[:\s]/.test(user.username)) {
    throw new Error(
      `sandbox user name ${JSON.stringify(user.username)} must be non-empty, without ':' or spaces`,
    );
  }
  if (!user.password || /[\r\n\0]/.test(user.password)) {
    throw new Error(
      `sandbox password for ${user.username} must be non-empty, without CR, LF or NUL`,
    );
  }
}

/** @param {string} password */
function bcryptPrefix(password) {
  return Buffer.from(password).subarray(0, BCRYPT_MAX);
}

/**
 * One bcrypt htpasswd line. htpasswd refuses passwords over 256 bytes, and bcrypt ignores all
 * past byte 72 anyway, so it is given only those 72 bytes: the registry then accepts the full
 * password (and, like any bcrypt check, any password with the same first 72 bytes).
 * Cost 4 (the minimum): the registry checks it on every request.
 * @param {User} user
 */
async function htpasswdLine(user) {
  const { stdout } = await run('htpasswd', ['-niB', '-C', '4', user.username], {
    input: bcryptPrefix(user.password),
  });
  return stdout.trim();
}

/**
 * Rewrites the file atomically (the registry re-reads it when its mtime changes) and makes sure
 * the mtime moves forward even within one clock tick.
 * @param {string} file
 * @param {User[]} users
 */
async function writeHtpasswd(file, users) {
  const lines = await Promise.all(users.map(htpasswdLine));
  const tmp = `${file}.tmp`;
  await fsp.writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  const previous = await fsp.stat(file).catch(() => undefined);
  const mtime = Math.max(Date.now(), (previous?.mtimeMs ?? 0) + 1000) / 1000;
  await fsp.utimes(tmp, mtime, mtime);
  await fsp.rename(tmp, file);
}

/**
 * A rotated password that differs only after byte 72 would still be accepted: refuse it, so a
 * test of "old password rejected" cannot pass by accident.
 * @param {User[]} before
 * @param {User[]} after
 */
function checkRotation(before, after) {
  for (const user of after) {
    const old = before.find((candidate) => candidate.username === user.username);
    if (!old || old.password === user.password) continue;
    if (bcryptPrefix(old.password).equals(bcryptPrefix(user.password))) {
      throw new Error(
        `new password for ${user.username} has the same first ${BCRYPT_MAX} bytes as the old one; ` +
          'bcrypt (htpasswd) cannot tell them apart, so make them differ early',
      );
    }
  }
}

// ---------------------------------------------------------------- registry

/**
 * @param {string} workDir
 * @param {{ cert: string, key: string }} server
 * @param {string} htpasswd
 */
function registryConfig(workDir, server, htpasswd) {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog: { disabled: true }',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(path.join(workDir, 'registry-data'))} }`,
    '  delete: { enabled: true }',
    'http:',
    '  addr: "[::1]:443"',
    `  secret: ${randomBytes(16).toString('hex')}`,
    `  tls: { certificate: ${JSON.stringify(server.cert)}, key: ${JSON.stringify(server.key)} }`,
    'auth:',
    `  htpasswd: { realm: sandbox-registry, path: ${JSON.stringify(htpasswd)} }`,
    '',
  ].join('\n');
}

/**
 * The registry is up when GET /v2/ over TLS (by name, checking our CA) answers 401.
 * @param {string} caPem
 */
function probeRegistry(caPem) {
  return new Promise((resolve) => {
    const request = https.get(
      {
        host: '::1',
        port: 443,
        servername: REGISTRY_HOSTS[0],
        ca: caPem,
        path: '/v2/',
        timeout: 1000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode === 401);
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------- dockerd

/**
 * @param {string} socketPath
 * @returns {Promise<boolean>}
 */
function pingDocker(socketPath) {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/** Proxy variables would send dockerd's registry traffic elsewhere. */
function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?|no|all)_proxy$/i.test(name) || name.startsWith('DOCKER_')) delete env[name];
  }
  return env;
}

/** @param {string} workDir */
function dockerdArgv(workDir) {
  return [
    DOCKERD,
    '--config-file',
    path.join(workDir, 'daemon.json'),
    '--data-root',
    path.join(workDir, 'docker-data'),
    '--exec-root',
    path.join(workDir, 'docker-exec'),
    '--pidfile',
    path.join(workDir, 'dockerd.pid'),
    '--host',
    `unix://${path.join(workDir, 'docker.sock')}`,
    '--storage-driver',
    'vfs',
    '--bridge',
    'none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    '--userland-proxy=false',
  ];
}

// ---------------------------------------------------------------- seeding

/**
 * A tiny rootfs: static busybox and a few applets, as a tarball for `docker import`.
 * @param {string} dir
 */
async function buildRootfs(dir) {
  const root = path.join(dir, 'rootfs');
  await fsp.mkdir(path.join(root, 'bin'), { recursive: true });
  await fsp.copyFile(BUSYBOX, path.join(root, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'cat', 'ls', 'true']) {
    await fsp.symlink('busybox', path.join(root, 'bin', applet));
  }
  const tarball = path.join(dir, 'rootfs.tar');
  await run('tar', ['-C', root, '--owner=0', '--group=0', '-cf', tarball, '.']);
  await fsp.rm(root, { recursive: true });
  return tarball;
}

// ---------------------------------------------------------------- the sandbox

/** @type {Set<Infra>} */
const live = new Set();

class Infra {
  /** @param {string} workDir */
  constructor(workDir) {
    this.workDir = workDir;
    this.registryHosts = [...REGISTRY_HOSTS];
    this.dockerHost = `unix://${path.join(workDir, 'docker.sock')}`;
    this.caCertPath = path.join(workDir, 'tls', 'ca.crt');
    this.htpasswdPath = path.join(workDir, 'htpasswd');
    /** @type {User[]} */
    this.users = [];
    this.seedUser = { username: SEED_USER, password: randomBytes(24).toString('hex') };
    const env = cleanEnv();
    /** @type {Service} */
    this.registry = {
      name: 'docker-registry',
      argv: [REGISTRY, 'serve', path.join(workDir, 'registry.yml')],
      env,
      logFile: path.join(workDir, 'registry.log'),
    };
    /** @type {Service} */
    this.dockerd = {
      name: 'dockerd',
      argv: dockerdArgv(workDir),
      // For Docker Hub dockerd ignores certs.d and uses the system roots only.
      env: { ...env, SSL_CERT_FILE: this.caCertPath },
      logFile: path.join(workDir, 'dockerd.log'),
    };
    /** @type {Promise<void> | undefined} */
    this.stopping = undefined;
  }

  /**
   * Environment for docker CLI calls against this sandbox. SSL_CERT_FILE: with the daemon down,
   * CLI 28 logs in by itself, and for Docker Hub it trusts only the system roots, as dockerd does.
   */
  env() {
    return { DOCKER_HOST: this.dockerHost, SSL_CERT_FILE: this.caCertPath };
  }

  /** @param {User[]} users */
  async setUsers(users) {
    users.forEach(checkUser);
    checkRotation(this.users, users);
    await writeHtpasswd(this.htpasswdPath, [this.seedUser, ...users]);
    this.users = users.map((user) => ({ ...user }));
  }

  async startRegistry() {
    if (isRunning(this.registry)) return;
    await startService(this.registry);
    const caPem = await fsp.readFile(this.caCertPath, 'utf8');
    await waitReady(this.registry, () => probeRegistry(caPem));
  }

  async stopRegistry() {
    await stopService(this.registry);
  }

  async startDaemon() {
    if (isRunning(this.dockerd)) return;
    await startService(this.dockerd);
    await waitReady(this.dockerd, () => pingDocker(this.dockerHost.slice('unix://'.length)));
  }

  async stopDaemon() {
    await stopService(this.dockerd);
  }

  /**
   * docker CLI with this daemon and a given config dir.
   * @param {string} dockerConfig
   * @param {string[]} args
   * @param {string} [input]
   */
  docker(dockerConfig, args, input) {
    const env = { ...cleanEnv(), ...this.env(), DOCKER_CONFIG: dockerConfig };
    return run('docker', args, { env, input });
  }

  /** Pushes busybox under the ECR Public and Docker Hub names, then forgets it locally. */
  async seed() {
    const dir = path.join(this.workDir, 'seed');
    const config = path.join(dir, 'docker-config');
    await fsp.mkdir(config, { recursive: true });
    const tarball = await buildRootfs(dir);
    await this.docker(config, ['import', '--change', 'CMD ["sh"]', tarball, ECR_IMAGE]);
    await this.docker(config, ['tag', ECR_IMAGE, HUB_IMAGE]);
    const { username, password } = this.seedUser;
    for (const [registry, image] of [
      ['public.ecr.aws', ECR_IMAGE],
      ['docker.io', HUB_IMAGE],
    ]) {
      await this.docker(config, ['login', registry, '-u', username, '--password-stdin'], password);
      await this.docker(config, ['push', '--quiet', image]);
      await this.docker(config, ['logout', registry]);
    }
    // Remove the local copies so a later pull must really reach the registry.
    await this.docker(config, ['rmi', ECR_IMAGE, HUB_IMAGE]);
    await fsp.rm(dir, { recursive: true, force: true });
  }

  /** Stops both services and removes workDir; later and concurrent calls share the first one. */
  stop() {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  async stopNow() {
    try {
      await Promise.all([stopService(this.dockerd), stopService(this.registry)]);
      unmountUnder(this.workDir);
      await fsp.rm(this.workDir, { recursive: true, force: true });
    } finally {
      live.delete(this);
      if (live.size === 0) removeExitHooks();
    }
  }

  /** Last resort from the 'exit' event: synchronous only. */
  killNow() {
    for (const service of [this.dockerd, this.registry]) {
      if (isRunning(service)) service.child?.kill('SIGKILL');
    }
    unmountUnder(this.workDir);
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- exit hooks

function onExit() {
  for (const infra of live) infra.killNow();
}

/** @param {NodeJS.Signals} signal */
async function onSignal(signal) {
  await Promise.allSettled([...live].map((infra) => infra.stop()));
  process.exit(128 + (os.constants.signals[signal] ?? 0));
}

let hooked = false;

function addExitHooks() {
  if (hooked) return;
  hooked = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function removeExitHooks() {
  hooked = false;
  process.off('exit', onExit);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** in-namespace.sh removes SANDBOX_TMP when its command ends, even one killed with SIGKILL. */
function scratchDir() {
  return process.env.SANDBOX_TMP || os.tmpdir();
}

/**
 * Starts the registry and a private dockerd, and seeds busybox into the registry.
 * @param {InfraOptions} [options]
 */
export async function startInfra(options = {}) {
  if (process.env.SANDBOX_NS !== '1' || !process.env.SANDBOX_ETC_DOCKER) {
    throw new Error(
      'startInfra must run inside the sandbox namespace: run the command under sandbox/in-namespace.sh ' +
        '(e.g. `sandbox/in-namespace.sh npx jest -c jest.e2e.config.js`)',
    );
  }
  const started = Date.now();
  const log = options.log ?? (() => {});
  const workDir = options.workDir ?? (await fsp.mkdtemp(path.join(scratchDir(), 'infra-')));
  await fsp.mkdir(workDir, { recursive: true });
  const infra = new Infra(workDir);
  live.add(infra);
  addExitHooks();
  try {
    await prepare(infra, options.users ?? []);
    await Promise.all([infra.startRegistry(), infra.startDaemon()]);
    log(
      `registry on [::1]:443 and dockerd at ${infra.dockerHost} up after ${Date.now() - started} ms`,
    );
    await infra.seed();
    log(`seeded ${ECR_IMAGE} and ${HUB_IMAGE}; sandbox ready after ${Date.now() - started} ms`);
    return infra;
  } catch (error) {
    await infra
      .stop()
      .catch((stopError) => log(`clean-up after a failed start failed: ${stopError}`));
    throw error;
  }
}

/**
 * Files the services need before they start.
 * @param {Infra} infra
 * @param {User[]} users
 */
async function prepare(infra, users) {
  const { workDir } = infra;
  const { server } = await makeCertificates(path.join(workDir, 'tls'));
  await trustCa(/** @type {string} */ (process.env.SANDBOX_ETC_DOCKER), infra.caCertPath);
  await infra.setUsers(users);
  await fsp.writeFile(
    path.join(workDir, 'registry.yml'),
    registryConfig(workDir, server, infra.htpasswdPath),
  );
  await fsp.writeFile(path.join(workDir, 'daemon.json'), '{}\n');
}
