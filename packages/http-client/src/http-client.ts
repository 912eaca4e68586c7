import { Buffer } from "node:buffer";
import { ZpError } from "@zp/error";
import { HeaderMap, HttpError, HttpErrorType, RequestHeader, formatAuthority, isIdempotent, parseUri, type HeaderInit, type ResponseHeader } from "@zp/http";
import { AbortBinding } from "./abort-binding.js";
import type { ClientConnection } from "./client-connection.js";
import { ClientResponse } from "./client-response.js";
import { Connector } from "./connector.js";
import type { Peer } from "./peer.js";
import { isReplayable, sendBufferBody, sendStreamBody } from "./request-body.js";
import type { HttpClientOptions, RequestBody, RequestOptions } from "./request-options.js";
import type { ResolvedPeer } from "./resolved-peer.js";
import { ResponseBody } from "./response-body.js";

/** An origin the client has seen: its resolved peer and the `Host` header value. */
interface Origin {
  readonly peer: ResolvedPeer;
  readonly host: string;
}

/** Origins remembered per client before the cache starts over. */
const MAX_ORIGINS = 1024;

function noop(): void {}

function hostOf(peer: Peer): string {
  const name = typeof peer.sni === "string" ? peer.sni : peer.address;
  const bare = name.startsWith("[") ? name.slice(1, -1) : name;
  const defaultPort = peer.tls === true ? 443 : 80;
  return formatAuthority(bare, peer.port === defaultPort ? undefined : peer.port);
}

function expectsContinue(headers: HeaderMap): boolean {
  const expect = headers.get("expect");
  return expect !== undefined && expect.toLowerCase() === "100-continue";
}

/**
 * An HTTP/1.1 client on pooled keep-alive connections, built on the {@link Connector}
 * (the layer the proxy drives). `request()` sends one request and resolves with the
 * response head; the body streams as it is read.
 *
 * When a reused connection turns out dead before any response byte (the upstream closed it
 * while it was idle), a request that may be repeated (idempotent method or `idempotent: true`,
 * and a body that is none, a Buffer or a string) is sent once more on a fresh connection.
 *
 * @example
 * ```ts
 * const client = new HttpClient({ timeouts: { readMs: 5_000 } });
 * const res = await client.request("http://127.0.0.1:8080/items?id=7");
 * console.log(res.status, res.headers.get("content-type"), await res.body.json());
 * client.close();
 * ```
 */
export class HttpClient {
  /** The connector (and its pool) the client sends through. */
  readonly connector: Connector;
  private readonly options: HttpClientOptions;
  private readonly continueTimeoutMs: number;
  private readonly origins = new Map<string, Origin>();
  private readonly peers = new WeakMap<Peer, Origin>();

  /** @param options See {@link HttpClientOptions}. */
  constructor(options: HttpClientOptions = {}) {
    this.options = options;
    this.connector = new Connector(options);
    this.continueTimeoutMs = options.continueTimeoutMs ?? 1000;
  }

  /**
   * Sends a request. `input` is an absolute URL (with `options` beside it) or the
   * {@link RequestOptions}. Resolves once the response head arrived; rejects with a
   * `ZpError` (see the README for the types and retry decisions).
   */
  request(input: string | URL | RequestOptions, options?: Omit<RequestOptions, "url">): Promise<ClientResponse> {
    const o: RequestOptions = typeof input === "string" || input instanceof URL ? { ...options, url: input } : input;
    return this.send(o);
  }

  /** Closes the idle connections and the pool; connections in use close when released. */
  close(): void {
    this.connector.close();
  }

  private async send(o: RequestOptions): Promise<ClientResponse> {
    const method = o.method ?? "GET";
    let origin: Origin;
    let path: string;
    if (o.peer !== undefined) {
      origin = this.peerOrigin(o.peer);
      path = o.path ?? "/";
    } else if (o.origin !== undefined) {
      origin = this.origin(typeof o.origin === "string" ? o.origin : o.origin.origin);
      path = o.path ?? "/";
    } else if (o.url !== undefined) {
      const url = typeof o.url === "string" ? parseUri(o.url) : parseUri(o.url.href);
      if (url.form !== "absolute") throw new HttpError(HttpErrorType.InvalidUri, `request URL must be absolute, got ${JSON.stringify(String(o.url))}`);
      origin = this.origin(`${url.scheme}://${url.authority}`);
      path = url.pathAndQuery || "/";
    } else {
      throw new HttpError(HttpErrorType.InvalidUri, "a request needs url, origin or peer");
    }
    const head = RequestHeader.build(method, path);
    buildHeaders(head.headers, origin.host, o.headers);
    const body = o.body;
    const retryable = isReplayable(body) && (o.idempotent ?? isIdempotent(method));
    const signal = o.signal;
    if (signal?.aborted) throw signal.reason;
    const abort = signal === undefined ? undefined : new AbortBinding(signal);
    const connector = this.connector;
    let conn = connector.idleFor(origin.peer);
    let retried = false;
    for (;;) {
      if (conn === undefined) {
        try {
          conn = await connector.openFor(origin.peer);
        } catch (err) {
          abort?.unbind();
          throw signal?.aborted ? signal.reason : err;
        }
      }
      abort?.attach(conn);
      try {
        const response = await this.exchange(conn, head, body);
        const reused = conn.reused;
        const complete = conn.takeCompleteBody();
        if (complete === undefined) return new ClientResponse(response, new ResponseBody(conn, abort), reused, retried);
        // The whole response is here already: the connection goes back to the pool at once.
        const trailers = conn.trailers;
        conn.release();
        abort?.unbind();
        return new ClientResponse(response, new ResponseBody(undefined, undefined, complete, trailers), reused, retried);
      } catch (err) {
        const reused = conn.reused;
        conn.destroy();
        if (!retried && reused && retryable && !signal?.aborted && err instanceof ZpError && err.retryable(true)) {
          retried = true;
          conn = undefined;
          continue;
        }
        abort?.unbind();
        throw signal?.aborted ? signal.reason : err;
      }
    }
  }

  /** One attempt: writes the request, returns the final response head. */
  private exchange(conn: ClientConnection, head: RequestHeader, body: RequestBody | undefined): Promise<ResponseHeader> {
    if (body === undefined || ((typeof body === "string" || body instanceof Uint8Array) && (body.length === 0 || !expectsContinue(head.headers)))) {
      // The common case, without an extra promise: head and body in one write.
      conn.writeRequest(head, body);
      return conn.readResponseHeader();
    }
    return this.exchangeWithBody(conn, head, body);
  }

  /** An exchange that waits for `100 Continue` or streams its body. */
  private async exchangeWithBody(conn: ClientConnection, head: RequestHeader, body: RequestBody): Promise<ResponseHeader> {
    if (typeof body === "string" || body instanceof Uint8Array) {
      conn.writeRequestHeader(head, typeof body === "string" ? Buffer.byteLength(body) : body.length);
      if ((await conn.awaitContinue(this.continueTimeoutMs)) !== "final") sendBufferBody(conn, body);
      return conn.readResponseHeader();
    }
    conn.writeRequestHeader(head, true);
    const response = conn.readResponseHeader();
    response.catch(noop); // awaited below; the upload may fail first
    if (expectsContinue(head.headers) && (await conn.awaitContinue(this.continueTimeoutMs)) === "final") return response;
    await sendStreamBody(conn, body);
    return response;
  }

  private origin(text: string): Origin {
    const known = this.origins.get(text);
    if (known !== undefined) return known;
    const uri = parseUri(text);
    const scheme = uri.scheme;
    if (uri.form !== "absolute" || (scheme !== "http" && scheme !== "https") || (uri.path !== "/" && uri.path !== "")) {
      throw new HttpError(HttpErrorType.InvalidUri, `an origin is http(s)://host[:port], got ${JSON.stringify(text)}`);
    }
    const tls = this.options.tls;
    const peer: Peer = { address: uri.host!, port: uri.effectivePort!, tls: scheme === "https" };
    if (scheme === "https" && tls !== undefined) {
      if (tls.ca !== undefined) peer.ca = tls.ca;
      if (tls.verifyCert !== undefined) peer.verifyCert = tls.verifyCert;
      if (tls.verifyHostname !== undefined) peer.verifyHostname = tls.verifyHostname;
      if (tls.clientCert !== undefined) peer.clientCert = tls.clientCert;
    }
    const origin: Origin = { peer: this.connector.resolve(peer), host: uri.authority! };
    if (this.origins.size >= MAX_ORIGINS) this.origins.clear();
    this.origins.set(text, origin);
    return origin;
  }

  private peerOrigin(peer: Peer): Origin {
    let origin = this.peers.get(peer);
    if (origin === undefined) {
      origin = { peer: this.connector.resolve(peer), host: hostOf(peer) };
      this.peers.set(peer, origin);
    }
    return origin;
  }
}

/** Fills the request's fields: `Host` first (unless given), then the caller's, validated. */
function buildHeaders(out: HeaderMap, host: string, given: HeaderInit | HeaderMap | undefined): void {
  out.appendUnchecked("Host", host);
  if (given === undefined) return;
  const fields = given instanceof HeaderMap ? given : HeaderMap.from(given);
  let ownHost = false;
  for (let i = 0, n = fields.size; i < n; i++) {
    const name = fields.nameAt(i)!;
    const value = fields.valueAt(i)!;
    if (fields.keyAt(i) === "host") {
      if (ownHost) throw new HttpError(HttpErrorType.InvalidHeader, "a request with more than one Host field");
      out.set(name, value);
      ownHost = true;
    } else if (given instanceof HeaderMap) {
      out.append(name, value);
    } else {
      out.appendUnchecked(name, value);
    }
  }
}
