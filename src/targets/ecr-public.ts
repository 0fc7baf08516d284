// ECR Public (`registry: public.ecr.aws`): the Gallery's mirror of Docker official images, with a
// password from ECR Public's GetAuthorizationToken in us-east-1.
import { awsRegistryPassword, type TokenSource } from '../aws/registry-password.js';
import { show } from '../common/text.js';
import { ECR_PUBLIC_REGISTRY, libraryPrefix } from '../registry/names.js';
import type { InputReader } from '../runner/input-reader.js';
import type { LoginTarget } from './target.js';

export const ECR_PUBLIC_SOURCE: TokenSource = {
  service: 'ECR Public',
  endpoint: { kind: 'ecr-public' },
  accessFix:
    'Allow "ecr-public:GetAuthorizationToken" and "sts:GetServiceBearerToken" on "*" in the role\'s permission policy (see the README).',
};

export const ECR_PUBLIC_TARGET: LoginTarget = {
  kind: 'ecr-public',
  host: ECR_PUBLIC_REGISTRY,
  label: 'ECR Public',
  libraryPrefix: libraryPrefix(ECR_PUBLIC_REGISTRY),
  usesAws: true,
  credential: (deps) => awsRegistryPassword(ECR_PUBLIC_SOURCE, deps),
  refusedFix:
    'The ECR Public token was refused; retry the job, and check the role has ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.',
};

/** `registry: public.ecr.aws`: no namespace, and the official images are its own. */
export function parseEcrPublic(inputs: InputReader, raw: string, upstream: string): LoginTarget {
  if (
    raw
      .replace(/^https:\/\//i, '')
      .replace(/\/+$/, '')
      .includes('/')
  ) {
    inputs.problems.push(`'registry' ${ECR_PUBLIC_REGISTRY} takes no namespace: got ${show(raw)}`);
  }
  if (upstream === 'docker-hub') {
    inputs.problems.push(
      `'registry-upstream: docker-hub' is for an ECR private registry's pull-through cache; ${ECR_PUBLIC_REGISTRY} serves the official images itself`,
    );
  }
  return ECR_PUBLIC_TARGET;
}
