// @ts-check
// WAN mode: the network as the internet makes it. Every byte between the action and a fake or a
// registry crosses a loopback TCP proxy that delivers each chunk, in each direction, half a
// round trip after it arrived, and holds the client's first bytes one extra round trip (the TCP
// handshake the loopback connect skipped). The fakes are reached over TLS with the sandbox CA,
// so connects, handshakes and requests pay what they pay on a real runner.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

/** @typedef {{ host: string, port: number }} Address */

/**
 * A TCP proxy on `listen` (port 0: any free one) to `target`, delaying by rtt()/2 each way.
 * At rtt 0 it only pipes.
 * @param {{ listen: Address, target: Address, rtt: () => number }} o
 */
export async function startDelayProxy(o) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  /** When each connection was accepted (epoch ms). */
  /** @type {{ acceptedAt: number }[]} */
  const log = [];
  const server = net.createServer((client) => {
    log.push({ acceptedAt: Date.now() });
    const upstream = net.connect(o.target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const rtt = o.rtt();
    if (rtt <= 0) {
      client.pipe(upstream).pipe(client);
      return;
    }
    // The client thinks it is connected at once; a real connect would take one round trip.
    delayed(client, upstream, rtt / 2, Date.now() + rtt);
    delayed(upstream, client, rtt / 2, 0);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listen.port, o.listen.host, () => resolve(undefined));
  });
  const address = /** @type {net.AddressInfo} */ (server.address());
  return {
    port: address.port,
    connections: () => log.map((e) => ({ ...e })),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * Forwards from → to, each chunk (and the end) `halfRtt` ms after it arrived, never before
 * `notBefore`, in order.
 * @param {net.Socket} from @param {net.Socket} to @param {number} halfRtt @param {number} notBefore
 */
function delayed(from, to, halfRtt, notBefore) {
  /** @type {{ at: number, chunk: Buffer | null }[]} */
  const queue = [];
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const drain = () => {
    timer = undefined;
    while (queue.length && queue[0].at <= Date.now()) {
      const { chunk } = /** @type {{ chunk: Buffer | null }} */ (queue.shift());
      if (chunk === null) to.end();
      else if (!to.destroyed) to.write(chunk);
    }
    if (queue.length) timer = setTimeout(drain, Math.max(0, queue[0].at - Date.now()));
  };
  const push = (/** @type {Buffer | null} */ chunk) => {
    const last = queue.at(-1)?.at ?? 0;
    queue.push({ at: Math.max(Date.now() + halfRtt, notBefore + halfRtt, last), chunk });
    timer ??= setTimeout(drain, Math.max(0, queue[0].at - Date.now()));
  };
  let ended = false;
  from.on('data', push);
  from.once('end', () => {
    ended = true;
    push(null);
  });
  // Cut without an end (a reset): the other side ends once what came before is delivered.
  from.once('close', () => ended || push(null));
}

/**
 * A TLS server with `cert` in front of a plain TCP service on 127.0.0.1:`port`.
 * @param {{ cert: string, key: string }} keys @param {number} port
 */
async function startTlsTerminator(keys, port) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = tls.createServer(keys, (secure) => {
    const plain = net.connect(port, '127.0.0.1');
    for (const s of [secure, plain]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        secure.destroy();
        plain.destroy();
      });
    }
    secure.pipe(plain).pipe(secure);
  });
  server.on('tlsClientError', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: /** @type {net.AddressInfo} */ (server.address()).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * A certificate for 127.0.0.1 signed by the sandbox CA (its key sits next to ca.crt).
 * @param {string} caCertPath
 */
async function fakesCertificate(caCertPath) {
  const dir = await mkdtemp(path.join(process.env.SANDBOX_TMP || os.tmpdir(), 'wan-tls-'));
  const caKey = path.join(path.dirname(caCertPath), 'ca.key');
  const ext = path.join(dir, 'ext.cnf');
  await writeFile(ext, 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n');
  const [key, csr, cert] = ['key.pem', 'req.csr', 'cert.pem'].map((f) => path.join(dir, f));
  const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
  const run = promisify(execFile);
  await run(
    'openssl',
    [
      'req',
      '-new',
      '-nodes',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      key,
      '-out',
      csr,
    ],
    { env },
  );
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caCertPath,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    { env },
  );
  return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
}

/**
 * WAN mode for a sandbox: TLS + delay in front of each fake, and a delay proxy on the
 * registries' [::1]:443 in front of the TLS front (moved to `frontPort`). `setRtt(ms)` applies
 * to connections opened afterwards; env() points a job at the fakes through the proxies.
 * @param {{ urls: { oidcRequestUrl: string, sts: string, ecrPublic: string } }} fakes
 * @param {{ caCertPath: string, frontPort: number }} infra
 */
export async function startWan(fakes, infra) {
  let rttMs = 0;
  const rtt = () => rttMs;
  const keys = await fakesCertificate(infra.caCertPath);
  /** @type {{ close: () => Promise<unknown> }[]} */
  const parts = [];
  /** @type {Record<string, Awaited<ReturnType<typeof startDelayProxy>>>} */
  const proxies = {};
  /** A fake's plain http origin → its https origin through TLS + delay. */
  const wrap = async (/** @type {string} */ name, /** @type {string} */ origin) => {
    const terminator = await startTlsTerminator(keys, Number(new URL(origin).port));
    const proxy = await startDelayProxy({
      listen: { host: '127.0.0.1', port: 0 },
      target: { host: '127.0.0.1', port: terminator.port },
      rtt,
    });
    parts.push(terminator, proxy);
    proxies[name] = proxy;
    return `https://127.0.0.1:${proxy.port}`;
  };
  const oidc = new URL(fakes.urls.oidcRequestUrl);
  const [oidcOrigin, sts, ecrPublic] = [
    await wrap('oidc', oidc.origin),
    await wrap('sts', fakes.urls.sts),
    await wrap('ecr', fakes.urls.ecrPublic),
  ];
  const registries = await startDelayProxy({
    listen: { host: '::1', port: 443 },
    target: { host: '::1', port: infra.frontPort },
    rtt,
  });
  parts.push(registries);
  proxies.registries = registries;
  return {
    /** Each proxy's connections so far: oidc, sts, ecr, registries. */
    connections: () =>
      Object.fromEntries(Object.entries(proxies).map(([k, p]) => [k, p.connections()])),
    /** @param {number} ms */
    setRtt: (ms) => {
      rttMs = ms;
    },
    rtt,
    /** ACTIONS_ID_TOKEN_REQUEST_URL through TLS and the delay (the runner emulator's idToken). */
    oidcRequestUrl: `${oidcOrigin}${oidc.pathname}${oidc.search}`,
    /** What a job needs to reach STS and ECR Public over TLS through the proxies. */
    env: () => ({
      AWS_ENDPOINT_URL_STS: sts,
      AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic,
      NODE_EXTRA_CA_CERTS: infra.caCertPath,
    }),
    close: () => Promise.allSettled(parts.map((p) => p.close())),
  };
}
