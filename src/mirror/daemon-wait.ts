// Seeing a reload take effect: the daemon's own list of mirrors (what `docker info` shows).
import { daemonMirrors } from '../docker/daemon.js';

export const CONFIRM_TIMEOUT_MS = 5_000;

const sameUrl = (mirror: string, url: string) => mirror.replace(/\/+$/, '') === url;

/** Does the daemon list `url` among its mirrors now? undefined when it does not answer. */
export const daemonLists = (socket: string, url: string): Promise<boolean | undefined> =>
  daemonMirrors(socket, 2_000).then(
    (mirrors) => mirrors.some((m) => sameUrl(m, url)),
    () => undefined,
  );

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
    const has = mirrors?.some((m) => sameUrl(m, url)) ?? false;
    if (mirrors && has === listed) return true;
    if (now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
