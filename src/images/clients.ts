// One Registry v2 client per registry host, as this step reaches it: the step's credentials for
// that registry (or anonymous), its proxy agent, and the challenge when the registry is known.
import type http from 'node:http';
import { knownChallenge } from '../registry/challenge.js';
import { RegistryClient, type RegistryCredentials } from '../registry/client.js';

export interface ClientsOptions {
  credentials: (host: string) => RegistryCredentials | undefined;
  timeoutMs: number;
  agent?: (host: string) => http.Agent | undefined;
  onToken?: (token: string) => void;
}

/** Clients by host, made on first use; `repositories` (what will be read there) is used then. */
export function registryClients(
  o: ClientsOptions,
): (host: string, repositories?: string[]) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  return (host, repositories) => {
    let client = clients.get(host);
    if (!client) {
      client = new RegistryClient({
        origin: `https://${host}`,
        credentials: o.credentials(host),
        timeoutMs: o.timeoutMs,
        agent: o.agent?.(host),
        challenge: knownChallenge(host),
        repositories,
        onToken: o.onToken,
      });
      clients.set(host, client);
    }
    return client;
  };
}
