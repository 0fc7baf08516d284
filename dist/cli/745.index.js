export const id = 745;
export const ids = [745];
export const modules = {

/***/ 6745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ECRPUBLICClient: () => (/* reexport */ dist_cjs/* ECRPUBLICClient */.Rr),
  GetAuthorizationTokenCommand: () => (/* reexport */ dist_cjs/* GetAuthorizationTokenCommand */.Eu),
  NodeHttpHandler: () => (/* reexport */ TimedHttpHandler),
  fromNodeProviderChain: () => (/* reexport */ credential_provider_node_dist_cjs.defaultProvider),
  fromWebToken: () => (/* reexport */ credential_provider_web_identity_dist_cjs.fromWebToken),
  loadEcrSdk: () => (/* binding */ loadEcrSdk)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr-public/dist-cjs/index.js
var dist_cjs = __webpack_require__(9821);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-provider-web-identity/dist-cjs/index.js
var credential_provider_web_identity_dist_cjs = __webpack_require__(9956);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-provider-node/dist-cjs/index.js
var credential_provider_node_dist_cjs = __webpack_require__(5861);
// EXTERNAL MODULE: ./node_modules/@smithy/node-http-handler/dist-cjs/index.js
var node_http_handler_dist_cjs = __webpack_require__(1279);
;// CONCATENATED MODULE: ./src/aws/request-handler.ts
// The HTTP handler for every AWS call: the per-request time-out is a real, retryable error that
// names the endpoint that did not answer. Loaded with the SDK (sdk.ts), never on its own.

const silent = { debug() { }, info() { }, warn() { }, error() { } };
class TimedHttpHandler extends node_http_handler_dist_cjs.NodeHttpHandler {
    #timeoutMs;
    constructor(options) {
        // Without throwOnRequestTimeout the handler only prints a warning and waits on forever.
        super({ logger: silent, ...options, throwOnRequestTimeout: true });
        this.#timeoutMs = options.requestTimeout;
    }
    async handle(request, options) {
        try {
            return await super.handle(request, options);
        }
        catch (error) {
            const e = error;
            if (e?.name !== 'TimeoutError')
                throw error;
            const host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
            throw Object.assign(new Error(`no answer from ${host} within ${this.#timeoutMs} ms`), {
                name: 'TimeoutError',
                code: 'ETIMEDOUT',
                cause: error,
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/sdk.ts
// The AWS SDK pieces the action uses, in one module that main loads lazily: the SDK is the
// largest part of the bundle, so it loads while the OIDC token request is in flight.
// Each piece comes from its own package (not @aws-sdk/credential-providers, whose index
// drags in Cognito, SSO and the rest).




/** The ECR private client, loaded only when the login target is a pull-through cache. */
const loadEcrSdk = () => Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(814)]).then(__webpack_require__.bind(__webpack_require__, 6814));


/***/ })

};
