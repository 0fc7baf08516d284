// Seeing a reload take effect: the daemon's own list of mirrors (what `docker info` shows), or
// the reload's own event, watched from before the signal.
import type { DaemonReloads } from '../docker/daemon-events.js';
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

/**
 * The daemon now lists `url`: its reload's event says so (watched from before the signal), else
 * its /info once that event is overdue; polled as before when there is no watch.
 */
export async function reloadLists(
  reloads: DaemonReloads | undefined,
  socket: string,
  url: string,
  now = Date.now,
): Promise<boolean> {
  if (!reloads) return waitForMirror(socket, url, true, now);
  if (await reloads.until((mirrors) => mirrors.some((m) => sameUrl(m, url)), CONFIRM_TIMEOUT_MS))
    return true;
  return (await daemonLists(socket, url)) === true;
}
