import type { HeaderMap, ResponseHeader } from "@zp/http";
import type { ResponseBody } from "./response-body.js";

/** What {@link HttpClient.request} resolves with: the final response head and its body. */
export class ClientResponse {
  /** The status code. */
  readonly status: number;
  /** The header fields (names as received). */
  readonly headers: HeaderMap;
  /** The body; consume, dump or cancel it. */
  readonly body: ResponseBody;
  /** The whole response head (version, reason phrase). */
  readonly head: ResponseHeader;
  /** Whether the connection had carried an earlier exchange. */
  readonly reused: boolean;
  /** Whether the request was sent a second time after a reused connection turned out dead. */
  readonly retried: boolean;

  /** @internal */
  constructor(head: ResponseHeader, body: ResponseBody, reused: boolean, retried: boolean) {
    this.status = head.status;
    this.headers = head.headers;
    this.head = head;
    this.body = body;
    this.reused = reused;
    this.retried = retried;
  }

  /** The reason phrase as received. */
  get statusText(): string {
    return this.head.reason;
  }

  /** The trailer fields of a chunked response, once its body was read to the end. */
  get trailers(): HeaderMap | undefined {
    return this.body.trailers;
  }
}
