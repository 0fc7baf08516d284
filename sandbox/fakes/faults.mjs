// @ts-check
// Per-endpoint fault plan: added latency, and the next N calls failing in a chosen way.

/**
 * How a faulted call fails: the service's own throttle error, an HTTP 500/503 with the service's
 * error body, a request that is never answered, a TCP reset, or a custom error in the service's
 * format (for codes such as STS `IDPCommunicationError`).
 * @typedef {'throttle' | 500 | 503 | 'hang' | 'reset' | CustomError} FailWith
 * @typedef {{ status: number, code: string, message: string }} CustomError
 */

/**
 * @typedef {object} Fault
 * @property {number} [latencyMs] delay added before every response (also faulted ones)
 * @property {number} [failNext] how many calls fail; default: every call while the fault is set,
 *   if failWith or hang is given
 * @property {FailWith} [failWith] default 500
 * @property {boolean} [hang] shorthand for failWith 'hang'
 */

/** @typedef {{ latencyMs: number, failure: FailWith | null }} Decision */

export class FaultPlan {
  /** @type {Fault} */
  #fault = {};
  #remaining = 0;

  /** @param {Fault} fault replaces any earlier fault on this endpoint */
  set(fault) {
    validate(fault);
    this.#fault = { ...fault };
    const failing = fault.failWith !== undefined || fault.hang === true;
    this.#remaining = fault.failNext ?? (failing ? Infinity : 0);
  }

  clear() {
    this.#fault = {};
    this.#remaining = 0;
  }

  /**
   * Consumes one call from the plan.
   * @returns {Decision}
   */
  next() {
    const latencyMs = this.#fault.latencyMs ?? 0;
    if (this.#remaining <= 0) return { latencyMs, failure: null };
    this.#remaining -= 1;
    const failure = this.#fault.hang ? 'hang' : (this.#fault.failWith ?? 500);
    return { latencyMs, failure };
  }
}

/** @param {Fault} fault */
function validate(fault) {
  const known = ['latencyMs', 'failNext', 'failWith', 'hang'];
  for (const key of Object.keys(fault)) {
    if (!known.includes(key)) throw new TypeError(`unknown fault option '${key}'`);
  }
  const { failWith, failNext, latencyMs } = fault;
  const kinds = ['throttle', 500, 503, 'hang', 'reset'];
  const custom =
    typeof failWith === 'object' &&
    failWith !== null &&
    typeof failWith.status === 'number' &&
    typeof failWith.code === 'string';
  if (failWith !== undefined && !(/** @type {unknown[]} */ (kinds).includes(failWith)) && !custom) {
    throw new TypeError(`unknown failWith ${JSON.stringify(failWith)}`);
  }
  if (failNext !== undefined && !(Number.isInteger(failNext) && failNext >= 0)) {
    throw new TypeError('failNext must be a non-negative integer');
  }
  if (latencyMs !== undefined && !(latencyMs >= 0)) {
    throw new TypeError('latencyMs must be >= 0');
  }
}
