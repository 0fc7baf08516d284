// The daemon's reloads as it reports them (`docker events --filter type=daemon --filter
// event=reload`): each reload's event carries the registry mirrors it now uses. Watched from
// before a SIGHUP, it says the reload took our entry as soon as it did, where asking `/info`
// (about 10 ms of the daemon's time per answer, measured on Docker 28) means polling it.
import http from 'node:http';
import { overSocket } from './daemon.js';

/** A watch of the daemon's reloads, opened on its socket. */
export interface DaemonReloads {
  /** true at the first reload since the watch opened whose mirrors pass `test`; false after `ms`. */
  until(test: (mirrors: string[]) => boolean, ms: number): Promise<boolean>;
  close(): void;
}

const FILTERS = encodeURIComponent(JSON.stringify({ type: ['daemon'], event: ['reload'] }));

/** One event line's registry mirrors; undefined for anything else. */
function mirrorsOf(line: string): string[] | undefined {
  try {
    const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
    const mirrors = JSON.parse(event.Actor?.Attributes?.['registry-mirrors'] ?? 'null') as unknown;
    return Array.isArray(mirrors) ? mirrors.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves once the stream is open: every reload after that is seen. */
export function watchReloads(socketPath: string, timeoutMs: number): Promise<DaemonReloads> {
  return new Promise((resolve, reject) => {
    const path = `/events?filters=${FILTERS}`;
    const request = http.get({ ...overSocket(socketPath), path, timeout: timeoutMs });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', reject);
    request.once('response', (response) => {
      if (response.statusCode !== 200) {
        request.destroy();
        return reject(new Error(`/events answered HTTP ${response.statusCode}`));
      }
      request.setTimeout(0); // a stream: quiet until something happens
      resolve(reloadsOf(response, () => request.destroy()));
    });
  });
}

function reloadsOf(response: http.IncomingMessage, close: () => void): DaemonReloads {
  const seen: string[][] = [];
  const waiting = new Set<(mirrors?: string[]) => void>();
  let rest = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const mirrors of lines.map(mirrorsOf)) {
      if (!mirrors) continue;
      seen.push(mirrors);
      for (const wake of waiting) wake(mirrors);
    }
  });
  // The stream ended (the daemon stopped): nothing more will be seen.
  const ended = () => [...waiting].forEach((wake) => wake());
  response.once('end', ended).once('error', ended).once('close', ended);
  const until = (test: (mirrors: string[]) => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (seen.some(test)) return resolve(true);
      const wake = (mirrors?: string[]) => {
        if (mirrors && !test(mirrors)) return;
        clearTimeout(timer);
        waiting.delete(wake);
        resolve(Boolean(mirrors));
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
      if (response.complete || response.destroyed) wake();
    });
  return { until, close };
}
