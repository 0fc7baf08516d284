// What a child process (docker, its CLI plugins and credential helpers; sudo) inherits from the step.
// An allowlist, because the runner's environment holds secrets under names nobody can list in
// advance: every input as INPUT_* (fallback-token), ACTIONS_ID_TOKEN_REQUEST_TOKEN (mints OIDC
// tokens), ACTIONS_RUNTIME_TOKEN, a workflow's GITHUB_TOKEN or AWS_* credentials. docker login and
// logout need none of them; they need where things are (PATH, HOME, XDG_*, temp folders), how to
// reach the daemon (DOCKER_*, proxies, CA files, an ssh agent for ssh:// hosts) and what a
// credential helper's store needs (pass: GNUPGHOME, PASSWORD_STORE_DIR; secretservice: D-Bus).

type Env = Record<string, string | undefined>;

/** Exact names (compared upper-cased: Windows names are case-insensitive). */
const NAMES = new Set([
  ...['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TERM', 'NO_COLOR'],
  ...['TMPDIR', 'TMP', 'TEMP', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'SSH_AUTH_SOCK'],
  ...['GNUPGHOME', 'GPG_AGENT_INFO', 'PASSWORD_STORE_DIR', 'DBUS_SESSION_BUS_ADDRESS'],
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'],
  'RUNNER_TRACKING_ID', // the runner ends a job's leftover processes by it
  // Windows: where the system, the profile and the credential manager live
  ...['SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'USERNAME'],
  ...['APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'HOMEDRIVE', 'HOMEPATH'],
]);

/** Families of settings, kept unless the name looks like a secret (DOCKER_AUTH_CONFIG, DOCKER_PASSWORD). */
const PREFIXES = ['DOCKER_', 'BUILDX_', 'BUILDKIT_', 'COMPOSE_', 'XDG_', 'LC_'];
const SECRET_NAME = /TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|AUTH|PRIVATE|_KEY(_|$)/;

export function isPassedToChildren(name: string): boolean {
  const upper = name.toUpperCase();
  if (NAMES.has(upper)) return true;
  return PREFIXES.some((p) => upper.startsWith(p)) && !SECRET_NAME.test(upper);
}

/** The part of env a child may see. */
export function childEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isPassedToChildren(name)) out[name] = value;
  }
  return out;
}
