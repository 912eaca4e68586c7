import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import type { RequestHeader, ResponseHeader } from "@zp/http";
import type { HttpRequest } from "@zp/http-server";
import { DownstreamBody } from "./downstream-body.js";
import type { DownstreamResponse } from "./downstream-response.js";
import { errorPage } from "./error-page.js";
import type { HttpPeer } from "./http-peer.js";
import { SessionTiming } from "./session-timing.js";

/** @internal What the proxy tells a session about an attempt in progress. */
export interface ActiveAttempt {
  /** The client connection failed: stop the upstream side. */
  downstreamGone(err: ZpError): void;
}

/** @internal How the proxy sets a session up. */
export interface SessionSetup {
  /** Request body bytes kept for a retry. */
  retryBufferBytes: number;
  /** Default limit of {@link Session.readRequestBody}. */
  readBodyLimit: number;
  /** Bytes after the head of a handed-over upgrade request. */
  upgradeHead?: Buffer;
}

/** What a hook may write as a response body. */
export type ResponseChunk = Buffer | Uint8Array | string;

/** The downstream response is over: a failure reaches the attempt under way. */
function downstreamClosed(this: Session, err: ZpError | undefined): void {
  if (err === undefined) return;
  this.downstreamError = err;
  this.attempt?.downstreamGone(err);
}

/**
 * One request going through the proxy: the downstream request (read and edit it before
 * `upstreamPeer`/`upstreamRequestFilter`: the edits are what is forwarded), ways to answer
 * it directly, addresses, timing, keep-alive control and what happened upstream.
 */
export class Session {
  /** The request as the HTTP server parsed it (head, body, socket facts). */
  readonly request: HttpRequest;
  /** Whether the client asks to switch protocols (`Upgrade`, e.g. WebSocket) and can be tunnelled. */
  readonly isUpgradeRequest: boolean;
  /** When the session started and how long its upstream steps took. */
  readonly timing = new SessionTiming();
  /** The upstream of the current (or last) attempt. */
  peer: HttpPeer | undefined = undefined;
  /** Whether the current (or last) attempt used a pooled connection. */
  upstreamReused = false;
  /** Attempts made so far (1 + retries). */
  tries = 0;
  /** Response body bytes sent to the client by the proxy. */
  responseBodyBytes = 0;
  /** Why the client connection failed, if it did. */
  downstreamError: ZpError | undefined = undefined;

  /** @internal Where the response goes. */
  readonly downstream: DownstreamResponse;
  /** @internal Bytes after the head of a handed-over upgrade request. */
  readonly upgradeHead: Buffer | undefined;
  /** @internal The attempt in progress. */
  attempt: ActiveAttempt | null = null;
  /** @internal Whether request bytes were written to an upstream (by any attempt). */
  requestSent = false;
  /** @internal Whether the client accepts trailers, as of the request head of the current attempt. */
  trailersForwarded = false;

  private readonly setup: SessionSetup;
  private readonly remoteAddress: string | undefined;
  private readonly remotePort: number | undefined;
  private written: ResponseHeader | undefined = undefined;
  private keepAlive = true;
  private bodyReader: DownstreamBody | undefined = undefined;

  /** @internal Made by the proxy for every request. */
  constructor(request: HttpRequest, downstream: DownstreamResponse, setup: SessionSetup) {
    this.request = request;
    this.downstream = downstream;
    this.setup = setup;
    this.upgradeHead = setup.upgradeHead;
    this.isUpgradeRequest = setup.upgradeHead !== undefined && request.method !== "CONNECT";
    // Node caches the peer address per socket: this costs a syscall once per connection
    this.remoteAddress = request.remoteAddress;
    this.remotePort = request.remotePort;
    downstream.onClose(downstreamClosed, this);
  }

  /** The downstream request head: method, target, version, header fields (mutable). */
  get reqHeader(): RequestHeader {
    return this.request.head;
  }

  /** The request method. */
  get method(): string {
    return this.request.method;
  }

  /** The request-target as it stands (`reqHeader.uri`). */
  get uri(): string {
    return this.request.url;
  }

  /** The first value of a request header field (case-insensitive), or undefined. */
  getHeader(name: string): string | undefined {
    return this.request.headers.get(name);
  }

  /** The client's IP address (read when the session starts, so it outlives the connection). */
  get clientAddress(): string | undefined {
    return this.remoteAddress;
  }

  /** The client's port. */
  get clientPort(): number | undefined {
    return this.remotePort;
  }

  /** The local address the request arrived on. */
  get serverAddress(): string | undefined {
    return this.request.localAddress;
  }

  /** The local port the request arrived on. */
  get serverPort(): number | undefined {
    return this.request.localPort;
  }

  /** Whether the client connection is TLS. */
  get isTls(): boolean {
    return this.request.isTls;
  }

  /** The response head sent (or being sent) to the client, once there is one. */
  get responseWritten(): ResponseHeader | undefined {
    return this.written;
  }

  /** Whether the response to the client is complete. */
  get responseFinished(): boolean {
    return this.downstream.finished;
  }

  /**
   * Keep-alive for the client connection after this response: `null` (or 0) closes it
   * after the response; a positive number keeps it open (the idle time is the server's
   * `keepAliveTimeout`). Takes effect on a head not sent yet.
   */
  setKeepalive(seconds: number | null): void {
    this.keepAlive = seconds !== null && seconds > 0;
  }

  /** Whether the client connection is kept open after this response (see {@link setKeepalive}). */
  get keepalive(): boolean {
    return this.keepAlive;
  }

  /** Whether the client accepts response trailers (`TE: trailers`, HTTP/1.1). */
  get acceptsTrailers(): boolean {
    if (this.request.version !== "HTTP/1.1") return false;
    const te = this.request.headers.getJoined("te");
    return te !== undefined && /(?:^|,)\s*trailers\s*(?:;|,|$)/i.test(te);
  }

  /** Request body bytes received from the client so far. */
  get requestBodyBytes(): number {
    return this.bodyReader?.bytes ?? 0;
  }

  /**
   * The whole request body (`null` when there is none), for hooks that need to see it;
   * the proxy then forwards what was read. Rejects with an `HTTPStatus(413)` ZpError
   * past `limit` bytes (default: the proxy's `readBodyLimit`, 1 MiB), which answers 413.
   */
  readRequestBody(limit: number = this.setup.readBodyLimit): Promise<Buffer | null> {
    const body = this.body;
    return body === undefined ? Promise.resolve(null) : body.readWhole(limit);
  }

  /**
   * Answers with an error page for `status` (HTML, or JSON when the client prefers it) and
   * closes the connection after it. When a response is already under way, it is aborted
   * instead (the client sees a cut-off response). Does nothing once the response is over.
   */
  respondError(status: number): void {
    const res = this.downstream;
    if (res.finished || res.aborted) return;
    if (res.headersSent) {
      res.destroy(new ZpError(ErrorType.HTTPStatus(status), { context: "error after the response started", source: "Internal" }));
      return;
    }
    const { head, body } = errorPage(status, this.getHeader("accept"), false);
    this.written = head;
    res.writeHead(head);
    res.end(body);
  }

  /**
   * Sets the response head (sent with the first body write, or now with `endOfStream`,
   * which also completes a bodiless response). For hooks that answer themselves.
   */
  writeResponseHeader(head: ResponseHeader, endOfStream = false): void {
    this.prepareHead(head);
    this.downstream.writeHead(head);
    if (endOfStream) this.downstream.end();
  }

  /**
   * Writes a piece of response body (after {@link writeResponseHeader}); `end` completes
   * the response. Returns `false` when the socket buffer is full.
   */
  writeResponseBody(chunk: ResponseChunk | null, end: boolean): boolean {
    const res = this.downstream;
    const bytes = chunk === null ? undefined : typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (bytes !== undefined) this.responseBodyBytes += bytes.length;
    if (end) {
      res.end(bytes);
      return true;
    }
    return bytes === undefined ? true : res.write(bytes);
  }

  /** `GET /path, Host: example.com`: what error log lines say about the request. */
  requestSummary(): string {
    return `${this.request.method} ${this.request.url}, Host: ${this.getHeader("host") ?? ""}`;
  }

  /** @internal The body reader (undefined when the request has no body to forward). */
  get body(): DownstreamBody | undefined {
    let body = this.bodyReader;
    if (body === undefined && this.request.hasBody && !this.isUpgradeRequest) {
      body = new DownstreamBody(this.request, this.setup.retryBufferBytes);
      this.bodyReader = body;
    }
    return body;
  }

  /** @internal Records `head` as the response and applies keep-alive to it. */
  prepareHead(head: ResponseHeader): void {
    if (!this.keepAlive && head.status !== 101) head.headers.set("Connection", "close");
    this.written = head;
  }
}
