// Loopback helpers shared by the packages' tests (never published).
export { RawClient, delay, exchange } from "./raw-client.js";
export { type BlockedListener, blockedListener } from "./blocked-listener.js";
export { type CurlResult, curl } from "./curl.js";
