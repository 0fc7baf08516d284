// The AWS calls as our own requests (sts-request, token-request) on the endpoints direct-rule
// computed, through the agents the phase connects with. No SDK chunk loads on this path.
import type http from 'node:http';
import type https from 'node:https';
import { ECR_PUBLIC_REGION } from './authorization-token.js';
import type { AwsCalls, Credentials } from './calls.js';
import type { AwsCredentials } from './credentials.js';
import { assumeRoleWithWebIdentity } from './sts-request.js';
import type { TokenSource } from './token-source.js';
import { getAuthorizationToken } from './token-request.js';

export interface DirectCallsOptions {
  /** The origins direct-rule computed. */
  sts: string;
  registry: string;
  source: TokenSource;
  /** Who connects (a proxy's tunnels, or the early connections); node's own where absent. */
  agents: Promise<{ http?: http.Agent; https?: https.Agent } | undefined>;
  timeoutMs: number;
  /** The phase's: aborted at its deadline. */
  signal: AbortSignal;
  setSecret: (value: string) => void;
  now?: () => Date;
}

const HEADERS = { 'user-agent': 'ecr-public-login' };

export function directCalls(o: DirectCallsOptions): AwsCalls {
  const { endpoint } = o.source;
  const request = async (signal = o.signal) => ({
    headers: HEADERS,
    timeoutMs: o.timeoutMs,
    signal,
    agents: await o.agents,
    setSecret: o.setSecret,
  });
  return {
    assumeRole: async (params) => assumeRoleWithWebIdentity(o.sts, params, await request()),
    authorizationToken: async (credentials, signal) => {
      const call = {
        origin: o.registry,
        kind: endpoint.kind,
        region: endpoint.kind === 'ecr' ? endpoint.region : ECR_PUBLIC_REGION,
        service: o.source.service,
        keys: await resolved(credentials),
      };
      return getAuthorizationToken(call, {
        ...(await request(signal)),
        now: o.now ?? (() => new Date()),
      });
    },
    close() {},
  };
}

const resolved = async (credentials: Credentials): Promise<AwsCredentials> =>
  typeof credentials === 'function' ? credentials() : credentials;
