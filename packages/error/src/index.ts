export { ErrorType, sameErrorType } from "./error-type.js";
export { ErrorSource } from "./error-source.js";
export { RetryType } from "./retry-type.js";
export { ZpError, type ZpErrorOptions } from "./zp-error.js";
export { fromSystemError } from "./from-system-error.js";
