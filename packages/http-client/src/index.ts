// Layer 1: connections the proxy drives.
export type { Peer, PeerTimeouts, ClientCertificate, Pem } from "./peer.js";
export { DEFAULT_TIMEOUTS, type ResolvedTimeouts } from "./timeouts.js";
export { Connector, connect, type ConnectorOptions } from "./connector.js";
export { ClientConnection, type UpgradedConnection, type ContinueOutcome, type ResponseHeadReceiver, type InterimReceiver } from "./client-connection.js";
export type { BodySink } from "./body-sink.js";
export { BodyIterator } from "./body-iterator.js";
export type { BodyLength } from "./request-framing.js";
export { keepAliveTimeoutSeconds } from "./keep-alive.js";
export { ClientErrorType } from "./client-errors.js";

// Layer 2: request() and HttpClient.
export { HttpClient } from "./http-client.js";
export { ClientResponse } from "./client-response.js";
export { ResponseBody } from "./response-body.js";
export { request, defaultClient } from "./default-client.js";
export type { RequestOptions, RequestBody, HttpClientOptions, ClientTlsOptions } from "./request-options.js";
