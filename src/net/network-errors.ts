// One policy for network failures, for every caller (the AWS calls, image resolution):
// - a connection that was refused, reset, timed out or unreachable, or a DNS server that did not
//   answer (EAI_AGAIN), may work a moment later: retried;
// - a name that does not exist (ENOTFOUND) will not exist a second later: not retried (it is
//   almost always a mistyped region or host, said at once), but the host counts as unreachable.

const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | undefined)?.code;

/** A failure worth another attempt. */
export const isTransientNetworkError = (error: unknown): boolean => {
  const code = codeOf(error);
  return typeof code === 'string' && TRANSIENT.has(code);
};

/** The host could not be reached or did not answer (transient, or no such name). */
export const isUnreachable = (error: unknown): boolean =>
  isTransientNetworkError(error) || codeOf(error) === 'ENOTFOUND';
