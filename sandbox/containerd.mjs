// @ts-check
// A private containerd for `ctr` in the sandbox: its own root, state, socket and opt folder under
// the given directory (containerd's defaults are machine-wide: /var/lib/containerd,
// /run/containerd, /opt/containerd), the CRI plugin off (pulls through ctr need none of it).
// ctr resolves and fetches in its own process; containerd only stores what ctr hands it.
import { existsSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { run, startService, stopService, waitReady } from './infra.mjs';

export const CONTAINERD = '/usr/bin/containerd';
export const CTR = '/usr/bin/ctr';

/** @param {string} dir */
export function containerdConfig(dir) {
  const q = (/** @type {string} */ p) => JSON.stringify(path.join(dir, p));
  return [
    'version = 2',
    `root = ${q('root')}`,
    `state = ${q('state')}`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = ${q('containerd.sock')}`,
    '[ttrpc]',
    `  address = ${q('containerd.sock.ttrpc')}`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q('opt')}`,
    '',
  ].join('\n');
}

/**
 * Starts containerd and waits until `ctr version` answers on its socket.
 * @param {string} dir an empty folder of its own
 */
export async function startContainerd(dir) {
  await fsp.mkdir(dir, { recursive: true });
  const configFile = path.join(dir, 'config.toml');
  await fsp.writeFile(configFile, containerdConfig(dir));
  const address = path.join(dir, 'containerd.sock');
  /** @type {import('./infra.mjs').Service} */
  const service = {
    name: 'containerd',
    argv: [CONTAINERD, '--config', configFile],
    env: { PATH: process.env.PATH },
    logFile: path.join(dir, 'containerd.log'),
  };
  await startService(service);
  const probe = async () =>
    existsSync(address) && !!(await run(CTR, ['--address', address, 'version']));
  try {
    await waitReady(service, probe);
  } catch (error) {
    await stopService(service);
    throw error;
  }
  return { address, logFile: service.logFile, stop: () => stopService(service) };
}
