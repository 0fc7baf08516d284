// What the proxy settings say, without loading a network stack: NO_PROXY matching, the proxy for
// a URL, whether one is configured and whether a variable is usable. The agents that tunnel
// through it (proxy.ts, with tls) load only when a proxy is configured.
type Env = Record<string, string | undefined>;

const envValue = (env: Env, name: string): string | undefined =>
  env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

/** True when NO_PROXY (comma-separated hosts, .domain suffixes, host:port, `*`) exempts host:port. */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const hostname = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return noProxy
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      let pattern = entry;
      const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
      if (portMatch && !entry.startsWith('[') && entry.split(':').length === 2) {
        if (Number(portMatch[2]) !== port) return false;
        pattern = portMatch[1];
      } else if (/^\[.*\]:(\d+)$/.test(entry)) {
        const [, addr, p] = /^\[(.*)\]:(\d+)$/.exec(entry)!;
        if (Number(p) !== port) return false;
        pattern = addr;
      }
      pattern = pattern.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
      if (pattern.startsWith('.'))
        return hostname.endsWith(pattern) || hostname === pattern.slice(1);
      return hostname === pattern || hostname.endsWith('.' + pattern);
    });
}

/** A proxy URL the action can use: http(s), a host, a port that exists, nothing else. */
export function proxyUrlProblem(value: string): string | undefined {
  // The URL parser would quietly drop or map hidden characters (e.g. U+FEFF in a host).
  if (/[^\x21-\x7e]/.test(value)) return 'it has spaces or characters outside printable ASCII';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'it must start with http:// or https://';
  if (!url.hostname) return 'it has no host';
  if (url.pathname !== '/' || url.search || url.hash)
    return 'it must not have a path, query or fragment';
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'its user name or password has a malformed %-escape';
  }
  return undefined;
}

const withScheme = (raw: string): string => (raw.includes('://') ? raw : `http://${raw}`);

/** Why a proxy variable in the environment is unusable, before any call is made through it. */
export function proxyEnvProblem(env: Env, override = ''): string | undefined {
  if (override) return undefined; // the input was checked with the other inputs
  for (const name of ['https_proxy', 'http_proxy']) {
    const raw = envValue(env, name);
    const problem = raw ? proxyUrlProblem(withScheme(raw)) : undefined;
    const which = env[name] ? name : name.toUpperCase();
    if (problem) return `${which} is not a usable proxy URL (${problem}).`;
  }
  return undefined;
}

/** The proxy to use for a URL, or undefined to connect directly. */
export function proxyFor(target: URL, env: Env, override = ''): URL | undefined {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  if (bypassesProxy(target.hostname, port, envValue(env, 'no_proxy'))) return undefined;
  const raw =
    override ||
    (target.protocol === 'https:' ? envValue(env, 'https_proxy') : envValue(env, 'http_proxy'));
  if (!raw) return undefined;
  return new URL(withScheme(raw));
}

export class ProxyError extends Error {
  constructor(
    message: string,
    /** The proxy's HTTP status when it answered CONNECT with a refusal. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** True when any proxy setting is present, so the default agents can be kept otherwise. */
export function proxyConfigured(env: Env, override: string): boolean {
  return Boolean(override || envValue(env, 'https_proxy') || envValue(env, 'http_proxy'));
}
