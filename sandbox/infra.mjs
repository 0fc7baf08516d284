// @ts-check
// Real local infrastructure for end-to-end tests: three registry stand-ins (Debian's
// docker-registry, one process each: public.ecr.aws, Docker Hub, ECR private; see registries.mjs)
// behind one TLS front on [::1]:443 that also serves their token endpoints, and a private dockerd
// that trusts them. Everything listens on loopback; it must run under sandbox/in-namespace.sh,
// which maps the registry names to ::1 and gives us a private /etc/docker.
//
// Why ::1 and port 443: dockerd treats 127.0.0.0/8 registries as insecure and, after an HTTPS 401,
// retries over plain HTTP, hiding auth errors. ::1 is not on that list.
import { spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { RegistryLogins } from './fakes/registry-auth.mjs';
import { HubRateLimit } from './hub-ratelimit.mjs';
import { frontRoutes, startFront } from './registry-front.mjs';
import { buildLayer, seedLargeImage, seedStandIns } from './registry-seed.mjs';
import { ECR_PRIVATE_HOST, FRONT_HOSTS, STAND_INS, StandIn, freePort } from './registries.mjs';

/** Every name a /v2/ API answers under. */
export const REGISTRY_HOSTS = Object.values(STAND_INS).flatMap((s) => s.hosts);
export const ECR_IMAGE = 'public.ecr.aws/docker/library/busybox:latest';
export const HUB_IMAGE = 'docker.io/library/busybox:latest';
export const ECR_PRIVATE_IMAGE = `${ECR_PRIVATE_HOST}/ecr-public/docker/library/busybox:latest`;
export { ECR_PRIVATE_HOST, STAND_INS };

const CERT_NAMES = FRONT_HOSTS;
const DOCKERD = '/usr/sbin/dockerd';
const REGISTRY = '/usr/bin/docker-registry';
const STOP_TIMEOUT_MS = 8000;
const READY_TIMEOUT_MS = 20000;

/**
 * @typedef {{ username: string, password: string }} User
 * @typedef {import('./registries.mjs').RegistryName} RegistryName
 * @typedef {object} InfraOptions
 * @property {string} [workDir]
 * @property {User[]} [users] accepted by public.ecr.aws and Docker Hub (see setUsers)
 * @property {RegistryLogins} [logins] the store the stand-ins check logins against (the fakes' one,
 *   so passwords they issue are accepted); default a new one
 * @property {boolean} [daemonTcp] dockerd also listens on tcp://127.0.0.1:<free port>
 * @property {number} [frontPort] the TLS front's port on ::1 (default 443)
 * @property {(line: string) => void} [log]
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
export async function startService(service) {
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
export async function stopService(service) {
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
export async function waitReady(service, probe) {
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
  // The key that signs registry tokens; the stand-ins trust its certificate (rootcertbundle).
  const signer = {
    cert: path.join(dir, 'token-signer.crt'),
    key: path.join(dir, 'token-signer.key'),
  };
  const signerArgs = ['-subj', '/CN=sandbox registry token signer'];
  await Promise.all([
    run(
      'openssl',
      [...common, ...newKey, ...serverArgs, '-keyout', server.key, '-out', server.cert],
      { env },
    ),
    run(
      'openssl',
      [...common, ...newKey, ...signerArgs, '-keyout', signer.key, '-out', signer.cert],
      {
        env,
      },
    ),
  ]);
  return { ca, server, signer };
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

// ---------------------------------------------------------------- users

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

// ---------------------------------------------------------------- registries

/**
 * A stand-in's docker-registry is up when GET /v2/ answers (401 with token auth, 200 without).
 * @param {string} origin
 */
async function probeRegistry(origin) {
  const response = await fetch(`${origin}/v2/`, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.status === 401 || response.status === 200;
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

/**
 * @param {string} workDir
 * @param {number} [tcpPort] also listen on tcp://127.0.0.1:<tcpPort>
 */
function dockerdArgv(workDir, tcpPort) {
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
    ...(tcpPort ? ['--host', `tcp://127.0.0.1:${tcpPort}`] : []),
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

// ---------------------------------------------------------------- the sandbox

/** @type {Set<Infra>} */
const live = new Set();

class Infra {
  /**
   * @param {string} workDir
   * @param {RegistryLogins} logins
   */
  constructor(workDir, logins) {
    this.workDir = workDir;
    this.registryHosts = [...REGISTRY_HOSTS];
    this.dockerHost = `unix://${path.join(workDir, 'docker.sock')}`;
    /** tcp://127.0.0.1:<port> when started with daemonTcp, else undefined */
    /** @type {string | undefined} */
    this.dockerTcpHost = undefined;
    /** The daemon's --config-file: edit it, then SIGHUP daemonPid() to reload. */
    this.daemonConfigPath = path.join(workDir, 'daemon.json');
    this.caCertPath = path.join(workDir, 'tls', 'ca.crt');
    /** The TLS front listens on [::1]:frontPort. */
    this.frontPort = 443;
    this.logins = logins;
    /** @type {User[]} */
    this.users = [];
    /** @type {import('./registry-seed.mjs').Seeded[]} */
    this.seeded = [];
    const env = cleanEnv();
    const standIn = (/** @type {RegistryName} */ name) => {
      const s = new StandIn(STAND_INS[name], workDir, REGISTRY);
      s.process.env = env;
      return s;
    };
    /** The registry stand-ins, by name (requests(), anonymous, hosts, ...). */
    this.registries = {
      ecrPublic: standIn('ecrPublic'),
      dockerHub: standIn('dockerHub'),
      ecrPrivate: standIn('ecrPrivate'),
    };
    this.registries.dockerHub.rateLimit = new HubRateLimit();
    /** @type {{ close: () => Promise<void> } | undefined} */
    this.front = undefined;
    /** @type {{ tls: { cert: string, key: string }, key: import('./fakes/registry-auth.mjs').TokenKey } | undefined} */
    this.keys = undefined;
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
    /** @type {Service[]} second daemons (startSidecar) */
    this.sidecars = [];
  }

  /**
   * Environment for docker CLI calls against this sandbox. SSL_CERT_FILE: with the daemon down,
   * CLI 28 logs in by itself, and for Docker Hub it trusts only the system roots, as dockerd does.
   */
  env() {
    // NODE_EXTRA_CA_CERTS: the action checks logins in process, and node ignores SSL_CERT_FILE.
    return {
      DOCKER_HOST: this.dockerHost,
      SSL_CERT_FILE: this.caCertPath,
      NODE_EXTRA_CA_CERTS: this.caCertPath,
    };
  }

  /** The running dockerd's pid (for SIGHUP after editing daemonConfigPath), else undefined. */
  daemonPid() {
    return isRunning(this.dockerd) ? this.dockerd.child?.pid : undefined;
  }

  /**
   * Replaces the logins public.ecr.aws and Docker Hub accept (both take the whole list, as the
   * one htpasswd file did before). Passwords are compared exactly.
   * @param {User[]} users
   */
  async setUsers(users) {
    users.forEach(checkUser);
    this.logins.set('ecrPublic', users);
    this.logins.set('dockerHub', users);
    this.users = users.map((user) => ({ ...user }));
  }

  /**
   * Adds one login a stand-in accepts from now on (e.g. a password an ECR fake issued).
   * @param {RegistryName} registry
   * @param {User} user
   */
  acceptLogin(registry, user) {
    checkUser(user);
    this.logins.add(registry, user);
  }

  /** All requests the front saw, every stand-in, oldest first within each. */
  requests() {
    return Object.values(this.registries).flatMap((s) => s.requests());
  }

  /** Starts the three docker-registry processes and the TLS front. */
  async startRegistry() {
    if (this.front) return;
    const keys = /** @type {NonNullable<Infra['keys']>} */ (this.keys);
    const standIns = Object.values(this.registries);
    await Promise.all(
      standIns.map(async (s) => {
        if (isRunning(s.process)) return;
        await startService(s.process);
        await waitReady(s.process, () => probeRegistry(s.origin));
      }),
    );
    const routes = frontRoutes({ standIns, logins: this.logins, key: keys.key });
    this.front = await startFront({
      routes,
      logins: this.logins,
      tls: keys.tls,
      port: this.frontPort,
    });
  }

  /** Stops the front (so [::1]:443 refuses connections) and the registries. */
  async stopRegistry() {
    const front = this.front;
    this.front = undefined;
    await Promise.all([
      front?.close(),
      ...Object.values(this.registries).map((s) => stopService(s.process)),
    ]);
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
   * A second dockerd, as ARC's dind sidecar: its own socket, data, config file (`{}`) and extra
   * flags (e.g. `--registry-mirror=http://127.0.0.1:<port>`); stopped with the sandbox.
   * @param {string[]} flags
   */
  async startSidecar(flags) {
    const dir = path.join(this.workDir, 'sc');
    await fsp.mkdir(dir, { recursive: true });
    const configFile = path.join(dir, 'daemon.json');
    await fsp.writeFile(configFile, '{}\n');
    /** @type {Service} */
    const service = {
      name: 'sidecar dockerd',
      argv: [...dockerdArgv(dir), ...flags],
      env: this.dockerd.env,
      logFile: path.join(dir, 'dockerd.log'),
    };
    this.sidecars.push(service);
    await startService(service);
    const socket = path.join(dir, 'docker.sock');
    await waitReady(service, () => pingDocker(socket));
    return {
      dockerHost: `unix://${socket}`,
      configFile,
      stop: () => stopService(service),
    };
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

  /** Pushes the seed images (registry-seed.mjs) straight into the stand-ins. */
  async seed() {
    const keys = /** @type {NonNullable<Infra['keys']>} */ (this.keys);
    const layer = await buildLayer(path.join(this.workDir, 'seed'), run);
    this.seeded = await seedStandIns(this.registries, keys.key, layer);
  }

  /**
   * An official image with one large layer on the public.ecr.aws stand-in (the bench's pulls).
   * @param {number} bytes
   */
  seedLargeImage(bytes) {
    const keys = /** @type {NonNullable<Infra['keys']>} */ (this.keys);
    return seedLargeImage(this.registries, keys.key, bytes);
  }

  /**
   * The digest a stand-in serves for repository:tag, as seeded.
   * @param {RegistryName} registry
   * @param {string} repository
   * @param {string} tag
   */
  seededDigest(registry, repository, tag) {
    return this.seeded.find(
      (s) => s.registry === registry && s.repository === repository && s.tag === tag,
    )?.digest;
  }

  /** Stops every service and removes workDir; later and concurrent calls share the first one. */
  stop() {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  async stopNow() {
    try {
      await Promise.all([
        stopService(this.dockerd),
        ...this.sidecars.map(stopService),
        this.stopRegistry(),
      ]);
      unmountUnder(this.workDir);
      await fsp.rm(this.workDir, { recursive: true, force: true });
    } finally {
      live.delete(this);
      if (live.size === 0) removeExitHooks();
    }
  }

  /** Last resort from the 'exit' event: synchronous only. */
  killNow() {
    const services = [this.dockerd, ...this.sidecars];
    for (const service of [...services, ...Object.values(this.registries).map((s) => s.process)]) {
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
 * Starts the registry stand-ins, their TLS front and a private dockerd, and seeds the stand-ins.
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
  const infra = new Infra(workDir, options.logins ?? new RegistryLogins());
  if (options.frontPort) infra.frontPort = options.frontPort;
  live.add(infra);
  addExitHooks();
  try {
    await prepare(infra, options);
    await Promise.all([infra.startRegistry().then(() => infra.seed()), infra.startDaemon()]);
    const tcp = infra.dockerTcpHost ? ` and ${infra.dockerTcpHost}` : '';
    log(
      `registries behind [::1]:443 (seeded ${infra.seeded.length} tags), dockerd at ` +
        `${infra.dockerHost}${tcp}; sandbox ready after ${Date.now() - started} ms`,
    );
    return infra;
  } catch (error) {
    await infra
      .stop()
      .catch((stopError) => log(`clean-up after a failed start failed: ${stopError}`));
    throw error;
  }
}

/**
 * Files the services need before they start, and their ports.
 * @param {Infra} infra
 * @param {InfraOptions} options
 */
async function prepare(infra, options) {
  const { workDir } = infra;
  const { server, signer } = await makeCertificates(path.join(workDir, 'tls'));
  await trustCa(/** @type {string} */ (process.env.SANDBOX_ETC_DOCKER), infra.caCertPath);
  await infra.setUsers(options.users ?? []);
  const [serverCert, serverKey, signerKey, signerCert] = await Promise.all(
    [server.cert, server.key, signer.key, signer.cert].map((f) => fsp.readFile(f, 'utf8')),
  );
  infra.keys = {
    tls: { cert: serverCert, key: serverKey },
    key: { privateKey: createPrivateKey(signerKey), publicKey: createPublicKey(signerCert) },
  };
  for (const standIn of Object.values(infra.registries)) {
    standIn.port = await freePort();
    await fsp.mkdir(standIn.dir, { recursive: true });
    await fsp.writeFile(standIn.configFile, standIn.config(signer.cert));
  }
  if (options.daemonTcp) {
    const port = await freePort();
    infra.dockerTcpHost = `tcp://127.0.0.1:${port}`;
    infra.dockerd.argv = dockerdArgv(workDir, port);
  }
  await fsp.writeFile(infra.daemonConfigPath, '{}\n');
}
