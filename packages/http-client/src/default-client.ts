import type { ClientResponse } from "./client-response.js";
import { HttpClient } from "./http-client.js";
import type { RequestOptions } from "./request-options.js";

let shared: HttpClient | undefined;

/** The process-wide client behind {@link request}, made on first use with default options. */
export function defaultClient(): HttpClient {
  return (shared ??= new HttpClient());
}

/**
 * Sends a request with the process-wide {@link HttpClient} (pooled keep-alive connections,
 * default timeouts). Idle pooled connections never keep the process alive.
 *
 * @example
 * ```ts
 * const res = await request("http://127.0.0.1:8080/health");
 * console.log(res.status, await res.body.text());
 * ```
 */
export function request(input: string | URL | RequestOptions, options?: Omit<RequestOptions, "url">): Promise<ClientResponse> {
  return defaultClient().request(input, options);
}
