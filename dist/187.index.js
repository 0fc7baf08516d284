export const id = 187;
export const ids = [187];
export const modules = {

/***/ 1187:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ECRPUBLICClient: () => (/* reexport safe */ _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_0__.Rr),
/* harmony export */   GetAuthorizationTokenCommand: () => (/* reexport safe */ _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_0__.Eu),
/* harmony export */   NodeHttpHandler: () => (/* reexport safe */ _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__.NodeHttpHandler),
/* harmony export */   fromNodeProviderChain: () => (/* reexport safe */ _aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_1__.br),
/* harmony export */   fromWebToken: () => (/* reexport safe */ _aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_1__.G7)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9821);
/* harmony import */ var _aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9719);
/* harmony import */ var _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1279);
// The AWS SDK pieces the action uses, in one module that main loads lazily: the SDK is the
// largest part of the bundle, so it loads while the OIDC token request is in flight.






/***/ })

};
