// The HTTP handler for every AWS call: the per-request time-out is a real, retryable error that
// names the endpoint that did not answer. Loaded with the SDK (sdk.ts), never on its own.
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { timeoutError } from '../net/request.js';

type Handle = NodeHttpHandler['handle'];

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export class TimedHttpHandler extends NodeHttpHandler {
  readonly #timeoutMs: number;

  constructor(options: NodeHttpHandlerOptions & { requestTimeout: number }) {
    // Without throwOnRequestTimeout the handler only prints a warning and waits on forever.
    super({ logger: silent, ...options, throwOnRequestTimeout: true });
    this.#timeoutMs = options.requestTimeout;
  }

  override async handle(request: Parameters<Handle>[0], options?: Parameters<Handle>[1]) {
    try {
      return await super.handle(request, options);
    } catch (error) {
      const e = error as Error & { code?: string };
      if (e?.name !== 'TimeoutError') throw error;
      const host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
      throw timeoutError(host, this.#timeoutMs, error);
    }
  }
}
