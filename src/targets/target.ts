// A login target: one registry the step logs in to, and everything the rest of the step asks of
// it. Each kind (ECR Public, an ECR pull-through cache, a registry with a username and token)
// lives in a file of its own in this folder and is listed in `kinds.ts`; nothing outside this
// folder asks which kind a target is.
import type { PullThroughCache } from '../registry/names.js';
import type { PasswordDeps } from '../aws/registry-password.js';

/** What a target's login uses: the registry's username and password, and how they were had. */
export interface RegistryCredential {
  username: string;
  password: string;
  /** When the password stops working; undefined when the target does not say. */
  expiresAt?: Date;
  /** How the credential was obtained, for logs and the summary ("role arn:…"). */
  via: string;
}

/** What a credential source may use; every call inside is bounded by `deadline`. */
export type CredentialDeps = PasswordDeps;

export interface LoginTarget {
  /** The file in this folder that made it; for tests and debug lines only. */
  readonly kind: string;
  /** The host docker logs in to. */
  readonly host: string;
  /** How logs, errors and the summary name the registry ("ECR Public"). */
  readonly label: string;
  /** Where Docker official images live there (`library-prefix`); '' when nowhere. */
  readonly libraryPrefix: string;
  /** An ECR pull-through cache's rule, for the features that map images into it. */
  readonly cache?: PullThroughCache;
  /** Whether the credential comes from AWS (the step loads the SDK for it). */
  readonly usesAws: boolean;
  /** The credential, obtained within the deadline; a failure is an ActionError saying what to do. */
  credential(deps: CredentialDeps): Promise<RegistryCredential>;
  /** What to check when the registry refuses the credential at login. */
  readonly refusedFix: string;
}

/** The fallback login: a second target, used on failure of the first or always. */
export type FallbackMode = 'on-failure' | 'always';
export interface FallbackSettings {
  target: LoginTarget;
  mode: FallbackMode;
}
