import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PreconnectingAgent } from '../../../src/net/preconnect.js';

/** A TLS server on 127.0.0.1 with a throwaway certificate; counts TLS connections. */
async function startTlsServer() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preconnect-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-nodes', '-days', '1', '-newkey', 'ec', '-pkeyopt'],
      ...['ec_paramgen_curve:P-256', '-subj', '/CN=127.0.0.1', '-addext'],
      ...['subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
    ],
    { env: { ...process.env, OPENSSL_CONF: '/dev/null' }, stdio: 'ignore' },
  );
  const ca = readFileSync(cert, 'utf8');
  const server = https.createServer({ key: readFileSync(key), cert: ca }, (_req, res) =>
    res.end('{"ok":true}'),
  );
  let connections = 0;
  server.on('secureConnection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    ca,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const get = (url: string, agent: https.Agent) =>
  new Promise<string>((resolve, reject) => {
    https
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c)).on('end', () => resolve(body));
      })
      .on('error', reject);
  });

describe('PreconnectingAgent', () => {
  let server: Awaited<ReturnType<typeof startTlsServer>>;
  beforeAll(async () => {
    server = await startTlsServer();
  });
  afterAll(() => server.close());

  test('the first request uses the connection opened ahead, later ones keep it alive', async () => {
    const agent = new PreconnectingAgent({ ca: server.ca });
    const before = server.connections();
    agent.preconnect(server.origin);
    agent.preconnect(server.origin); // once per host
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.connections()).toBe(before + 1); // the handshake happened before any request
    expect(await get(`${server.origin}/a`, agent)).toBe('{"ok":true}');
    expect(await get(`${server.origin}/b`, agent)).toBe('{"ok":true}');
    expect(server.connections()).toBe(before + 1);
    agent.destroy();
  });

  test('a host that refuses the early connection is simply connected to again', async () => {
    const agent = new PreconnectingAgent({ ca: server.ca });
    agent.preconnect('https://127.0.0.1:9/'); // nothing listens; no unhandled error
    agent.preconnect('http://127.0.0.1:9/'); // plain http is not preconnected
    agent.preconnect('not a url');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await get(`${server.origin}/c`, agent)).toBe('{"ok":true}');
    agent.destroy();
  });
});
