// Which registry hosts have stopped answering during one resolution. A host that fails at the
// connection level (refused, unreachable, timed out) this many times in a row, with no answer in
// between, is not asked again: later references to it fail at once instead of each waiting out
// its own timeouts and retries (with Docker Hub dropping packets, 80 references took ~10 min).

import { isUnreachable } from '../net/network-errors.js';

export class HostHealth {
  private readonly failures = new Map<string, { count: number; last: string }>();

  constructor(private readonly limit = 3) {}

  /** Why the host is not asked any more; undefined while it is. */
  deadReason(host: string): string | undefined {
    const f = this.failures.get(host);
    if (!f || f.count < this.limit) return undefined;
    return `${host} did not answer ${f.count} times in a row (last: ${f.last}), so it was not asked again`;
  }

  /** Records an answer (any HTTP status) or a failure from the host. */
  record(host: string, error?: unknown): void {
    if (error === undefined) this.failures.delete(host);
    else if (isUnreachable(error)) {
      const count = (this.failures.get(host)?.count ?? 0) + 1;
      this.failures.set(host, { count, last: String((error as Error).message ?? error) });
    }
  }
}
