// Seeing a reload take effect: the daemon's own list of mirrors (what `docker info` shows).
import { daemonMirrors } from '../docker/daemon.js';

export const CONFIRM_TIMEOUT_MS = 5_000;

/** Polls the daemon until `url` is (or is no longer) among its mirrors. */
export async function waitForMirror(
  socket: string,
  url: string,
  listed: boolean,
  now = Date.now,
): Promise<boolean> {
  const until = now() + CONFIRM_TIMEOUT_MS;
  for (;;) {
    const mirrors = await daemonMirrors(socket, 2_000).catch(() => undefined);
    const has = mirrors?.some((m) => m.replace(/\/+$/, '') === url) ?? false;
    if (mirrors && has === listed) return true;
    if (now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
