// How every network call of the step behaves (`retry-max-attempts`, `timeout-seconds`,
// `http-proxy`): the AWS calls, image resolution and the docker mirror alike.
import { hideUrlCredentials, show } from '../common/text.js';
import type { InputReader } from '../runner/input-reader.js';
import { proxyUrlProblem } from './proxy-env.js';

/** How every network call of the step behaves: attempts, the phase deadline, the proxy. */
export interface NetworkSettings {
  retryMaxAttempts: number;
  timeoutSeconds: number;
  httpProxy: string;
}

export function parseNetworkSettings(inputs: InputReader): NetworkSettings {
  const httpProxy = inputs.read('http-proxy');
  const proxyProblem = httpProxy ? proxyUrlProblem(httpProxy) : undefined;
  if (proxyProblem) {
    inputs.problems.push(
      `'http-proxy' must be a proxy URL such as http://proxy.example.com:3128 (${proxyProblem}): got ${show(hideUrlCredentials(httpProxy))}`,
    );
  }
  return {
    retryMaxAttempts: inputs.integer('retry-max-attempts', 1, 20),
    timeoutSeconds: inputs.integer('timeout-seconds', 1, 3600),
    httpProxy,
  };
}
