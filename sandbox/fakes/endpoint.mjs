// @ts-check
// Glue between a server and a fake service: counting, fault injection and latency happen here,
// before the service sees the request, so every service gets them the same way.
import { setTimeout as delay } from 'node:timers/promises';

/**
 * @typedef {import('./http.mjs').FakeRequest} FakeRequest
 * @typedef {import('./http.mjs').FakeResponse} FakeResponse
 * @typedef {import('./http.mjs').Outcome} Outcome
 * @typedef {import('./faults.mjs').FailWith} FailWith
 * @typedef {Exclude<FailWith, 'hang' | 'reset'>} ErrorFailure
 */

/**
 * @typedef {object} Service
 * @property {(req: FakeRequest) => FakeResponse | Promise<FakeResponse>} handle normal handling
 * @property {(failure: ErrorFailure) => FakeResponse} failure the service's own error for a faulted call
 * @property {(req: FakeRequest) => boolean} [isOperation] which requests are the endpoint's operation
 *   (counted and faulted); default all. Lets the OIDC server serve its JWKS unconditionally.
 */

/**
 * @param {object} opts
 * @param {Service} opts.service
 * @param {import('./faults.mjs').FaultPlan} opts.faults
 * @param {(req: FakeRequest, failure: FailWith | null) => void} opts.onRequest sees every operation call
 * @param {AbortSignal} opts.closing aborted by close(), so pending latency does not outlive the fakes
 * @returns {(req: FakeRequest) => Promise<Outcome>}
 */
export function endpointHandler({ service, faults, onRequest, closing }) {
  return async (req) => {
    if (service.isOperation && !service.isOperation(req)) return service.handle(req);
    const { latencyMs, failure } = faults.next();
    onRequest(req, failure);
    if (latencyMs > 0) {
      try {
        await delay(latencyMs, undefined, { signal: closing });
      } catch {
        return 'hang'; // closing: the socket is being destroyed anyway
      }
    }
    if (failure === 'hang' || failure === 'reset') return failure;
    if (failure !== null) return service.failure(failure);
    return service.handle(req);
  };
}
