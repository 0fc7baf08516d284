export const id = 814;
export const ids = [814];
export const modules = {

/***/ 6814:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ECRClient: () => (/* reexport safe */ _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_0__.S70),
/* harmony export */   GetAuthorizationTokenCommand: () => (/* reexport safe */ _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_0__.Eu6)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8249);
// ECR (private registries) GetAuthorizationToken, in a chunk of its own that sdk.ts loads only
// for a pull-through cache target: the ECR Public path never loads or compiles it.



/***/ })

};
