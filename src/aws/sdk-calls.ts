// The AWS calls through the AWS SDK, for whatever direct-rule does not prove (no role, a shared
// config file, FIPS or dual-stack, another partition, ...). The SDK chunk loads only on this path,
// once the first request is out.
import { ECR_PUBLIC_REGION, type AuthorizationData } from './authorization-token.js';
import type { AwsCalls, Credentials } from './calls.js';
import { maskingProvider } from './credentials.js';
import type { TimedHttpHandler } from './request-handler.js';
import type { TokenSource } from './token-source.js';

type AwsSdk = typeof import('./sdk.js');
type Env = Record<string, string | undefined>;

export interface SdkCallsOptions {
  sdk: Promise<AwsSdk>;
  /** One handler (time-outs, proxy-aware or preconnecting agents) for every client. */
  requestHandler: Promise<TimedHttpHandler>;
  source: TokenSource;
  /** The region STS is called in. */
  stsRegion: string;
  env: Env;
  setSecret: (value: string) => void;
}

export function sdkCalls(o: SdkCallsOptions): AwsCalls {
  let client: Promise<TokenClient> | undefined;
  return {
    assumeRole: async (params) =>
      (await o.sdk).fromWebToken({
        ...params,
        clientConfig: {
          region: o.stsRegion,
          maxAttempts: 1,
          requestHandler: await o.requestHandler,
        },
      })(),
    authorizationToken: async (credentials, signal) => {
      // One client for every attempt (its credentials are fixed), destroyed by close().
      client ??= tokenClient(o, credentials);
      return (await client).send(signal);
    },
    defaultChain: async () => maskingProvider((await o.sdk).fromNodeProviderChain(), o.setSecret),
    close: () =>
      void client?.then(
        (c) => c.destroy(),
        () => undefined,
      ),
  };
}

interface TokenClient {
  send(signal: AbortSignal): Promise<AuthorizationData | undefined>;
  destroy(): void;
}

/** ECR Public's client (us-east-1 only), or ECR's in the registry's region and endpoint form. */
async function tokenClient(o: SdkCallsOptions, credentials: Credentials): Promise<TokenClient> {
  const sdk = await o.sdk;
  const config = { credentials, maxAttempts: 1, requestHandler: await o.requestHandler };
  const { endpoint } = o.source;
  if (endpoint.kind === 'ecr-public') {
    const client = new sdk.ECRPUBLICClient({ ...config, region: ECR_PUBLIC_REGION });
    const command = new sdk.GetAuthorizationTokenCommand({});
    return {
      send: async (signal) =>
        (await client.send(command, { abortSignal: signal })).authorizationData,
      destroy: () => client.destroy(),
    };
  }
  const ecr = await sdk.loadEcrSdk();
  // An endpoint override (a VPC endpoint, the sandbox) is the endpoint: the SDK refuses FIPS or
  // dual-stack flags next to one.
  const overridden = Boolean(o.env.AWS_ENDPOINT_URL_ECR || o.env.AWS_ENDPOINT_URL);
  const client = new ecr.ECRClient({
    ...config,
    region: endpoint.region,
    useFipsEndpoint: endpoint.fips && !overridden,
    useDualstackEndpoint: endpoint.dualStack && !overridden,
  });
  return {
    send: async (signal) => {
      const command = new ecr.GetAuthorizationTokenCommand({});
      return (await client.send(command, { abortSignal: signal })).authorizationData?.[0];
    },
    destroy: () => client.destroy(),
  };
}
