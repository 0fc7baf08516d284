// Opens where this step's logins go: the clients on the runner (clients/) and the docker config
// folder with the post state (docker/step-logins). A module of its own so main loads it (and
// child_process, crypto and fs with it) only once the first request is out.
import { openClients } from './clients/session.js';
import { openStepLogins } from './docker/step-logins.js';
import type { Settings } from './settings.js';
import type { MainDeps, OpenedLogins } from './step.js';

export function openLogins(settings: Settings, deps: MainDeps): OpenedLogins {
  const clients = deps.clients
    ? openClients(deps.clients, { ...deps, httpProxy: settings.network.httpProxy })
    : undefined;
  const dockerPresent = Boolean(clients?.docker);
  const logins = openStepLogins(settings.logins, {
    ...deps,
    clients: clients && { login: (r) => clients.login(r), dockerPresent },
  });
  return { logins, clients };
}
