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
 * The daemon now lists `url` (or, `listed` false, no longer does): its reload's event says so
 * (watched from before the signal), else its /info once that event is overdue; polled as before
 * when there is no watch.
 */
export async function reloadShows(
  reloads: DaemonReloads | undefined,
  socket: string,
  url: string,
  listed: boolean,
  now = Date.now,
): Promise<boolean> {
  if (!reloads) return waitForMirror(socket, url, listed, now);
  const shows = (mirrors: string[]) => mirrors.some((m) => sameUrl(m, url)) === listed;
  if (await reloads.until(shows, CONFIRM_TIMEOUT_MS)) return true;
  return (await daemonLists(socket, url)) === listed;
}
