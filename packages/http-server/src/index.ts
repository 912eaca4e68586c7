export { HttpServer } from "./http-server.js";
export { HttpRequest } from "./request.js";
export { HttpResponse, type Chunk } from "./response.js";
export type { BodySink } from "./body-sink.js";
export type { ResponseHeaderInit } from "./response-fields.js";
export type { HttpServerOptions, RequestHandler, UpgradeHandler, ErrorHook } from "./options.js";
export { HttpServerErrorType } from "./server-error.js";
export { statusForParseError } from "./parse-error-status.js";
