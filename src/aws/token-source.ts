// What a login target tells the AWS side: which GetAuthorizationToken gives its password, and
// what to say when that call fails.

/** Which GetAuthorizationToken gives a target's password, and what to say when it fails. */
export interface TokenSource {
  /** How messages name the service: `ECR Public`, `ECR in eu-west-1`. */
  service: string;
  endpoint:
    { kind: 'ecr-public' } | { kind: 'ecr'; region: string; fips: boolean; dualStack: boolean };
  /** The permissions to allow on AccessDenied. */
  accessFix: string;
  /** Said before the usual advice when the credentials are rejected as unknown. */
  rejectedFix?: string;
  /** Said when the service's host does not resolve. */
  unresolvedFix?: string;
}
