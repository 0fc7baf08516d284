// Proxies, end to end: the built bundles through a REAL proxy (Debian's tinyproxy) on loopback
// inside the sandbox namespace, judged by the proxy's own log. The fakes speak plain http; for the
// https path (what real AWS and GitHub use, and what HTTPS_PROXY is for) each fake also gets a TLS
// front on 127.0.0.1 with a throwaway certificate the action trusts via NODE_EXTRA_CA_CERTS.
// Every call is tunnelled with CONNECT, so tinyproxy logs one "CONNECT host:port" per tunnel.
// Each test records its figures in .sandbox/figures.json (key `proxy-…`).
// Run: npm run test:e2e -- __tests__/e2e/proxy.test.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { run } from '../../sandbox/infra.mjs';
import { runJob } from '../../sandbox/runner.mjs';
import { startSandbox } from '../../sandbox/sandbox.mjs';
import { recordFigures } from './figures.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Endpoint = 'oidc' | 'sts' | 'ecr';

const TINYPROXY = '/usr/bin/tinyproxy';
const ECR = 'public.ecr.aws';

let sb: Sandbox;
let dir: string;
let proxy: { url: string; port: number; log: string; child: ChildProcess };
/** A port nothing listens on: a proxy that is down. */
let deadProxy: string;
/** TLS fronts of the three fakes. */
let fronts: { servers: tls.Server[]; ports: Record<Endpoint, number>; caFile: string };
/** Every port (plain fake or TLS front) of each endpoint, to read the proxy log by endpoint. */
let portsOf: Record<Endpoint, number[]>;

const portOf = (url: string) => Number(new URL(url).port);

/** A free port on 127.0.0.1 (bound, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function startTinyproxy() {
  const port = await freePort();
  const log = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  // No ConnectPort line: CONNECT to any port is allowed (the fakes are not on 443).
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'Allow 127.0.0.1',
      'MaxClients 100',
      `LogFile "${log}"`,
      'LogLevel Connect',
      '',
    ].join('\n'),
  );
  writeFileSync(log, '');
  const child = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: 'ignore' });
  for (const started = Date.now(); ;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.setTimeout(500, () => resolve(false));
    }).finally(() => undefined);
    if (up) break;
    if (child.exitCode !== null || Date.now() - started > 5000) {
      throw new Error(`tinyproxy did not start: ${readFileSync(log, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url: `http://127.0.0.1:${port}`, port, log, child };
}

/** A throwaway certificate for 127.0.0.1 and a TLS front per fake that pipes to it. */
async function startTlsFronts() {
  const config = path.join(dir, 'openssl.cnf');
  writeFileSync(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = 127.0.0.1',
      '[ext]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  const key = path.join(dir, 'front.key');
  const cert = path.join(dir, 'front.crt');
  await run(
    'openssl',
    [
      'req',
      '-config',
      config,
      '-x509',
      '-days',
      '1',
      '-nodes',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-extensions',
      'ext',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { env: { ...process.env, OPENSSL_CONF: '/dev/null' } },
  );
  const options = { key: readFileSync(key), cert: readFileSync(cert) };
  const targets: Record<Endpoint, number> = {
    oidc: portOf(sb.fakes.urls.oidc),
    sts: portOf(sb.fakes.urls.sts),
    ecr: portOf(sb.fakes.urls.ecrPublic),
  };
  const servers: tls.Server[] = [];
  const ports = {} as Record<Endpoint, number>;
  for (const [name, target] of Object.entries(targets) as [Endpoint, number][]) {
    const server = tls.createServer(options, (socket) => {
      const upstream = net.connect(target, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    ports[name] = (server.address() as net.AddressInfo).port;
  }
  return { servers, ports, caFile: cert };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'proxy-'));
  sb = await startSandbox();
  proxy = await startTinyproxy();
  deadProxy = `http://127.0.0.1:${await freePort()}`;
  fronts = await startTlsFronts();
  portsOf = {
    oidc: [portOf(sb.fakes.urls.oidc), fronts.ports.oidc],
    sts: [portOf(sb.fakes.urls.sts), fronts.ports.sts],
    ecr: [portOf(sb.fakes.urls.ecrPublic), fronts.ports.ecr],
  };
});

afterAll(async () => {
  if (proxy?.child.exitCode === null) {
    const exited = once(proxy.child, 'exit');
    proxy.child.kill('SIGTERM');
    await exited;
  }
  for (const server of fronts?.servers ?? []) server.close();
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------ helpers

/** The CONNECTs tinyproxy logged since `offset` (a byte offset in its log), per endpoint. */
function connectsSince(offset: number) {
  const text = readFileSync(proxy.log, 'utf8').slice(offset);
  const targets = [...text.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+):(\d+) /g)];
  const count = (name: Endpoint) =>
    targets.filter((m) => m[1] === '127.0.0.1' && portsOf[name].includes(Number(m[2]))).length;
  return {
    oidc: count('oidc'),
    sts: count('sts'),
    ecr: count('ecr'),
    total: targets.length,
  };
}
const logSize = () => statSync(proxy.log).size;

/**
 * A job (main then post) through the runner emulator. `https`: the action reaches the fakes
 * through their TLS fronts (https:// endpoints and OIDC URL), as it reaches AWS and GitHub.
 */
async function job(o: { https: boolean; with?: Record<string, string>; env?: object }) {
  const fakesEnv = Object.entries(sb.fakes.env()).filter(
    ([k]) => !k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'),
  );
  const tlsUrl = (port: number) => `https://127.0.0.1:${port}`;
  const oidcUrl = new URL(sb.fakes.urls.oidcRequestUrl);
  if (o.https) oidcUrl.href = tlsUrl(fronts.ports.oidc) + oidcUrl.pathname + oidcUrl.search;
  const dockerConfig = sb.newDockerConfig();
  const before = sb.fakes.counters();
  const offset = logSize();
  const { main, post } = await runJob({
    actionDir: sb.actionDir,
    with: { 'role-to-assume': sb.roleArn, ...o.with },
    env: {
      ...Object.fromEntries(fakesEnv),
      ...sb.infra.env(),
      AWS_REGION: 'us-east-1',
      DOCKER_CONFIG: dockerConfig,
      ...(o.https && {
        AWS_ENDPOINT_URL_STS: tlsUrl(fronts.ports.sts),
        AWS_ENDPOINT_URL_ECR_PUBLIC: tlsUrl(fronts.ports.ecr),
        NODE_EXTRA_CA_CERTS: fronts.caFile,
      }),
      ...o.env,
    },
    idToken: { requestUrl: oidcUrl.href, requestToken: sb.fakes.requestToken },
    debug: true,
    nodePath: sb.node,
    secrets: sb.secrets,
    timeoutMs: 60_000,
  });
  const after = sb.fakes.counters();
  return {
    main,
    post,
    dockerConfig,
    connects: connectsSince(offset),
    requests: {
      oidc: after.oidc - before.oidc,
      sts: after.sts - before.sts,
      ecr: after.ecr - before.ecr,
    },
    leaks: [...main.leaks, ...(post?.leaks ?? [])],
  };
}

type Job = Awaited<ReturnType<typeof job>>;

const figures = (j: Job, extra: Record<string, unknown> = {}) => ({
  result: j.main.exitCode === 0 ? 'success' : 'failure',
  registry: j.main.outputs.registry,
  proxiedConnects: j.connects,
  requestsAtTheFakes: j.requests,
  mainMs: Math.round(j.main.durationMs),
  ...extra,
});

/** Main logged in to ECR Public, post logged out, nothing leaked. */
function expectLoggedInAndOut(j: Job) {
  expect(j.main.annotations.error).toEqual([]);
  expect(j.main.exitCode).toBe(0);
  expect(j.main.outputs).toMatchObject({ registry: ECR, 'fallback-used': 'false' });
  expect(j.requests).toEqual({ oidc: 1, sts: 1, ecr: 1 });
  expect(j.post?.exitCode).toBe(0);
  expect(sb.readDockerConfig(j.dockerConfig).auths ?? {}).toEqual({});
  expect(j.leaks).toEqual([]);
}

/** Every call went through the proxy: at least one tunnel to each endpoint, none elsewhere. */
function expectAllProxied(j: Job) {
  expect(j.connects.oidc).toBeGreaterThanOrEqual(1);
  expect(j.connects.sts).toBeGreaterThanOrEqual(1);
  expect(j.connects.ecr).toBeGreaterThanOrEqual(1);
  expect(j.connects.total).toBe(j.connects.oidc + j.connects.sts + j.connects.ecr);
}

// -------------------------------------------------------------------------------------- tests

describe('proxies (real tinyproxy, judged by its log)', () => {
  test('HTTPS_PROXY → the https calls to OIDC, STS and ECR Public are tunnelled through it', async () => {
    const j = await job({ https: true, env: { HTTPS_PROXY: proxy.url } });
    recordFigures('proxy-https-proxy', figures(j, { env: 'HTTPS_PROXY', endpoints: 'https' }));
    expectLoggedInAndOut(j);
    expectAllProxied(j);
  });

  test('HTTP_PROXY → the plain-http calls are tunnelled; HTTPS_PROXY alone is not used for http:// endpoints', async () => {
    const viaHttpProxy = await job({ https: false, env: { HTTP_PROXY: proxy.url } });
    const httpsProxyOnly = await job({ https: false, env: { HTTPS_PROXY: proxy.url } });
    recordFigures('proxy-http-proxy', {
      HTTP_PROXY: figures(viaHttpProxy, { endpoints: 'http' }),
      HTTPS_PROXY_only: figures(httpsProxyOnly, { endpoints: 'http' }),
    });
    expectLoggedInAndOut(viaHttpProxy);
    expectAllProxied(viaHttpProxy);
    // scheme rule (as curl and the AWS CLI): https_proxy for https URLs, http_proxy for http ones
    expectLoggedInAndOut(httpsProxyOnly);
    expect(httpsProxyOnly.connects.total).toBe(0);
  });

  test('lower-case https_proxy wins over upper-case HTTPS_PROXY', async () => {
    const lowerGood = await job({
      https: true,
      env: { https_proxy: proxy.url, HTTPS_PROXY: deadProxy },
    });
    const lowerDead = await job({
      https: true,
      env: { https_proxy: deadProxy, HTTPS_PROXY: proxy.url },
      with: { 'retry-max-attempts': '1' },
    });
    const error = lowerDead.main.annotations.error.map((a) => a.message).join('\n');
    recordFigures('proxy-lowercase-wins', {
      lowerCaseIsTheRealProxy: figures(lowerGood),
      lowerCaseIsDead: figures(lowerDead, { error: error.split('\n')[0] }),
    });
    expectLoggedInAndOut(lowerGood);
    expectAllProxied(lowerGood);
    expect(lowerDead.main.exitCode).toBe(1);
    expect(error).toContain(`proxy ${new URL(deadProxy).host}`);
    expect(lowerDead.connects.total).toBe(0);
    expect(lowerDead.requests).toEqual({ oidc: 0, sts: 0, ecr: 0 });
    expect(lowerDead.leaks).toEqual([]);
  });

  test('the http-proxy input overrides HTTPS_PROXY and HTTP_PROXY', async () => {
    const j = await job({
      https: true,
      env: { HTTPS_PROXY: deadProxy, HTTP_PROXY: deadProxy, https_proxy: deadProxy },
      with: { 'http-proxy': proxy.url },
    });
    recordFigures('proxy-input-overrides-env', figures(j, { input: 'http-proxy' }));
    expectLoggedInAndOut(j);
    expectAllProxied(j);
  });

  test('NO_PROXY=127.0.0.1 → every call goes direct (nothing in the proxy log); host:port spares one endpoint only', async () => {
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    const all = await job({ https: true, env: { ...env, NO_PROXY: '127.0.0.1' } });
    const stsOnly = await job({
      https: true,
      env: { ...env, no_proxy: `example.com, 127.0.0.1:${fronts.ports.sts}` },
    });
    recordFigures('proxy-no-proxy', {
      'NO_PROXY=127.0.0.1': figures(all),
      'no_proxy=127.0.0.1:<sts port>': figures(stsOnly),
    });
    expectLoggedInAndOut(all);
    expect(all.connects.total).toBe(0);
    expectLoggedInAndOut(stsOnly);
    expect(stsOnly.connects).toMatchObject({ sts: 0 });
    expect(stsOnly.connects.oidc).toBeGreaterThanOrEqual(1);
    expect(stsOnly.connects.ecr).toBeGreaterThanOrEqual(1);
  });

  test('a proxy that is down → a clear error naming the proxy; the fallback still works', async () => {
    const inputs = { 'http-proxy': deadProxy };
    const [alone, withFallback] = await Promise.all([
      job({ https: true, with: inputs }),
      job({ https: true, with: { ...inputs, ...sb.fallbackInputs() } }),
    ]);
    const error = alone.main.annotations.error.map((a) => a.message).join('\n');
    const warning = withFallback.main.annotations.warning.map((a) => a.message).join('\n');
    const retries = alone.main.lines.filter((l) => /; attempt \d+ of \d+, retrying in/.test(l));
    recordFigures('proxy-down', {
      withoutFallback: figures(alone, {
        error: error.split('\n')[0],
        retryLogLines: retries.length,
      }),
      withFallback: figures(withFallback, {
        fallbackUsed: withFallback.main.outputs['fallback-used'],
        warning: warning.split('\n')[0],
      }),
    });

    expect(alone.main.exitCode).toBe(1);
    expect(error).toContain(`proxy ${new URL(deadProxy).host}`);
    expect(error).toMatch(/ECONNREFUSED/);
    expect(retries).toHaveLength(4); // retried like any network error, 5 attempts in all
    expect(alone.requests).toEqual({ oidc: 0, sts: 0, ecr: 0 });
    expect(alone.connects.total).toBe(0);
    expect(alone.post?.exitCode).toBe(0);
    expect(alone.leaks).toEqual([]);

    expect(withFallback.main.exitCode).toBe(0);
    expect(withFallback.main.outputs).toMatchObject({
      'fallback-used': 'true',
      registry: 'docker.io',
    });
    expect(warning).toContain(`proxy ${new URL(deadProxy).host}`);
    expect(withFallback.post?.exitCode).toBe(0);
    expect(sb.readDockerConfig(withFallback.dockerConfig).auths ?? {}).toEqual({});
    expect(withFallback.leaks).toEqual([]);
  });
});
