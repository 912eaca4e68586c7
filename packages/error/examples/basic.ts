import { ErrorType, RetryType, ZpError, fromSystemError } from "@zp/error";

// Build an error the way the proxy does when an upstream refuses a connection.
const sys = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3000"), { code: "ECONNREFUSED" });
const err = fromSystemError(sys, "connect", "connecting to 127.0.0.1:3000")
  .asUpstream()
  .withRetry(RetryType.Decided(true));

console.log(err.code); // ZP_CONNECT_REFUSED
console.log(err.message); // Upstream ConnectRefused context: connecting to 127.0.0.1:3000 cause: ECONNREFUSED ...
console.log(err.retryable()); // true

// An error that should be answered with a status.
const limited = ZpError.explain(ErrorType.HTTPStatus(429), "too many requests from 127.0.0.1").asDownstream();
console.log(limited.type.status, limited instanceof ZpError); // 429 true
