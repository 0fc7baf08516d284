// Generated from action.yml by scripts/action-inputs.mjs (npm run build). Do not edit.

/** Every input of action.yml with its default (what an empty `with:` value means). */
export const INPUT_DEFAULTS = {
  registry: 'public.ecr.aws',
  'registry-upstream': 'ecr-public',
  'role-to-assume': '',
  'role-session-name': 'GitHubActions',
  'role-duration-seconds': '900',
  audience: 'sts.amazonaws.com',
  'fallback-registry': 'docker.io',
  'fallback-username': '',
  'fallback-token': '',
  'fallback-oidc-connection-id': '',
  'fallback-oidc-expires-in': '3600',
  'fallback-mode': 'on-failure',
  logout: 'true',
  'retry-max-attempts': '5',
  'timeout-seconds': '60',
  'http-proxy': '',
  'docker-config': 'shared',
  'docker-mirror': 'false',
  mirror: '',
  'mirror-port': '',
  images: '',
  rewrite: '',
  'verify-digest': 'false',
  'fallback-library-prefix': '',
  'docker-hub-limit': 'false',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

/** Every output of action.yml. */
export const OUTPUT_NAMES = [
  'registry',
  'library-prefix',
  'fallback-used',
  'registries',
  'expires-at',
  'docker-mirror',
  'clients',
  'images',
  'images-not-mirrored',
  'rewritten-files',
  'docker-hub-pulls-remaining',
  'buildkitd-config',
  'mirrors',
  'buildkitd-config-file',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];
