// The ECR (private) GetAuthorizationToken fake, driven by the real ECR client: if the SDK accepts
// its answers and it refuses what ECR refuses, the cache tests can trust it.
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { fromWebToken } from '@aws-sdk/credential-provider-web-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_ROLE_ARN, startFakes, type Fakes } from '../../sandbox/fakes/index.mjs';

const ROLE = { sub: 'repo:octo-org/app:*' };
const ALLOWED = { ...ROLE, permissions: ['ecr:GetAuthorizationToken'] };

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes({ repository: 'octo-org/app' });
});
afterEach(() => fakes.clearFaults());
afterAll(() => fakes.close());

/** A client as the action builds it for a registry in `region`, with a fresh STS session. */
async function ecrClient(region: string) {
  const url = new URL(fakes.urls.oidcRequestUrl);
  url.searchParams.set('audience', 'sts.amazonaws.com');
  const res = await fetch(url, { headers: { authorization: `Bearer ${fakes.requestToken}` } });
  const { value } = (await res.json()) as { value: string };
  const credentials = fromWebToken({
    roleArn: DEFAULT_ROLE_ARN,
    roleSessionName: 'ecr-fake-test',
    webIdentityToken: value,
    clientConfig: { region: 'us-east-1', endpoint: fakes.urls.sts },
  });
  return new ECRClient({ region, credentials, endpoint: fakes.urls.ecrPrivate, maxAttempts: 1 });
}

describe('ECR GetAuthorizationToken fake', () => {
  it('answers a signed call with a fresh password for the session account, in the signing region', async () => {
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: ALLOWED });
    const client = await ecrClient('eu-west-1');
    const first = await client.send(new GetAuthorizationTokenCommand({}));
    const second = await client.send(new GetAuthorizationTokenCommand({}));

    const [data] = first.authorizationData ?? [];
    expect(data.proxyEndpoint).toBe('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(data.expiresAt).toBeInstanceOf(Date);
    const issued = fakes.ecrPrivateTokens();
    expect(issued.at(-2)).toEqual({
      authorizationToken: data.authorizationToken,
      password: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    });
    expect(Buffer.from(data.authorizationToken!, 'base64').toString()).toBe(
      `AWS:${issued.at(-2)!.password}`,
    );
    expect(second.authorizationData?.[0].authorizationToken).not.toBe(data.authorizationToken);
    expect(fakes.issuedSecrets()).toEqual(
      expect.arrayContaining([data.authorizationToken, issued.at(-2)!.password]),
    );
    const request = fakes.requests().filter((r) => r.endpoint === 'ecrPrivate')[0];
    expect(request.headers['x-amz-target']).toBe(
      'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    );
    expect(request.headers.authorization).toMatch(/\/eu-west-1\/ecr\/aws4_request,/);
  });

  it('a role whose policies lack ecr:GetAuthorizationToken gets AccessDeniedException', async () => {
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: ROLE });
    const client = await ecrClient('us-east-1');
    await expect(client.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /^User: arn:aws:sts::123456789012:assumed-role\/ecr-public-pull\/ecr-fake-test is not authorized to perform: ecr:GetAuthorizationToken on resource: \*/,
      ),
    });
  });

  it('refuses credentials it never issued, and injects faults like the other endpoints', async () => {
    fakes.setRoles({ [DEFAULT_ROLE_ARN]: ALLOWED });
    const stranger = new ECRClient({
      region: 'us-east-1',
      endpoint: fakes.urls.ecrPrivate,
      credentials: { accessKeyId: 'ASIAXXXXXXXXXXXXXXXX', secretAccessKey: 'x', sessionToken: 'y' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });

    fakes.setFault('ecrPrivate', { failNext: 1, failWith: 'throttle' });
    const client = await ecrClient('us-east-1');
    await expect(client.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(fakes.counters().faulted.ecrPrivate).toBe(1);
    await expect(client.send(new GetAuthorizationTokenCommand({}))).resolves.toBeDefined();
  });
});
