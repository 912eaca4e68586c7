import type { Socket } from "node:net";
import { ErrorType, ZpError } from "@zp/error";
import type { RequestHeader, ResponseHeader } from "@zp/http";
import type { ClientConnection, InterimReceiver, ResponseHeadReceiver } from "@zp/http-client";
import type { DownstreamBody } from "./downstream-body.js";
import { defaultErrorWhileProxy } from "./default-hooks.js";
import { stripHopByHop } from "./hop-by-hop.js";
import type { HttpPeer } from "./http-peer.js";
import { isPromiseLike } from "./maybe-promise.js";
import { PieceFeeder } from "./piece-feeder.js";
import { hookError } from "./proxy-errors.js";
import type { ProxyHttp } from "./proxy-http.js";
import { RawResponse } from "./raw-response.js";
import { RequestBodyForwarder } from "./request-body-forwarder.js";
import { ResponseForwarder, type ResponseHost } from "./response-forwarder.js";
import type { ActiveAttempt, Session } from "./session.js";
import type { Tunnel } from "./tunnel.js";
import { upstreamRequestHead } from "./upstream-request.js";

/** What an attempt needs from the proxy that runs it. */
export interface AttemptEngine {
  /** How long to wait for the upstream's `100 Continue` before sending the body anyway. */
  readonly continueTimeoutMs: number;
  /** Whether any response body or trailer hook is defined (else bodies skip the filter machinery). */
  readonly hasResponseBodyHooks: boolean;
  /** Joins the two sockets of an upgraded session. */
  openTunnel(down: Socket, downHead: Buffer | undefined, up: Socket, upHead: Buffer): Tunnel;
}

const INTERIM_KEEP = { upgrade: false, trailer: false, codings: false };
const UPGRADE_KEEP = { upgrade: true, trailer: false, codings: false };
const KEEP_CODINGS = { upgrade: false, trailer: false, codings: true };
const KEEP_TRAILER = { upgrade: false, trailer: true, codings: true };

/** Who hears how an attempt ended. */
export interface AttemptListener {
  /** The attempt is over: undefined when the response went out, else the error (after `errorWhileProxy`). */
  attemptFinished(err: ZpError | undefined): void;
}

/**
 * One attempt to get the response from an upstream over a connection already made:
 * `connectedToUpstream`, the request head (`upstreamRequestFilter`) and body, the response
 * head (`upstreamResponseFilter`, `responseFilter`) and body to the client, or a tunnel
 * after a `101`. Its listener hears the error that ended it, or undefined. The connection
 * goes back to the pool when the exchange allows it, and is destroyed otherwise.
 */
export class UpstreamAttempt<CTX> implements ActiveAttempt, ResponseHost, ResponseHeadReceiver, InterimReceiver {
  private readonly engine: AttemptEngine;
  private readonly session: Session;
  private readonly proxy: ProxyHttp<CTX>;
  private readonly ctx: CTX;
  private readonly peer: HttpPeer;
  private readonly conn: ClientConnection;
  private released = false;
  private requestForwarder: RequestBodyForwarder<CTX> | undefined = undefined;
  private responseForwarder: ResponseForwarder<CTX> | undefined = undefined;
  private listener: AttemptListener | undefined = undefined;

  constructor(engine: AttemptEngine, session: Session, proxy: ProxyHttp<CTX>, ctx: CTX, peer: HttpPeer, conn: ClientConnection) {
    this.engine = engine;
    this.session = session;
    this.proxy = proxy;
    this.ctx = ctx;
    this.peer = peer;
    this.conn = conn;
  }

  /**
   * Runs the attempt; `listener` hears how it ended exactly once (an error went through
   * `errorWhileProxy`). Synchronous up to the request's last write when the hooks are: the
   * response head comes through a callback, so a plain exchange costs no promise.
   */
  start(listener: AttemptListener): void {
    this.listener = listener;
    this.session.attempt = this;
    let pending: void | Promise<void>;
    try {
      pending = this.sendRequest();
    } catch (thrown) {
      this.end(this.failed(thrown));
      return;
    }
    if (pending === undefined) this.conn.awaitResponseHeader(this);
    else pending.then(() => this.conn.awaitResponseHeader(this), (thrown: unknown) => this.end(this.failed(thrown)));
  }

  /** `connectedToUpstream`, then the request (awaiting hooks only when they return promises). */
  private sendRequest(): void | Promise<void> {
    const { session, proxy, ctx, conn, peer } = this;
    if (session.downstreamError !== undefined) throw session.downstreamError;
    if (proxy.connectedToUpstream !== undefined) {
      const r = proxy.connectedToUpstream(session, conn.reused, peer, ctx);
      if (isPromiseLike(r)) return this.sendHeadLater(r);
    }
    return this.sendHead();
  }

  private async sendHeadLater(pending: PromiseLike<unknown>): Promise<void> {
    await pending;
    await this.sendHead();
  }

  /** The upstream request head, through `upstreamRequestFilter`. */
  private sendHead(): void | Promise<void> {
    const { session, proxy, ctx, peer } = this;
    const head = upstreamRequestHead(session, peer);
    if (proxy.upstreamRequestFilter !== undefined) {
      const r = proxy.upstreamRequestFilter(session, head, ctx);
      if (isPromiseLike(r)) return this.writeRequestLater(r, head);
    }
    return this.writeRequest(head);
  }

  private async writeRequestLater(pending: PromiseLike<unknown>, head: RequestHeader): Promise<void> {
    await pending;
    await this.writeRequest(head);
  }

  /** Writes the head, and starts the body (after `100 Continue` when the client asked for it). */
  private writeRequest(head: RequestHeader): void | Promise<void> {
    const { session, proxy, ctx, conn } = this;
    conn.interimReceiver = this;
    const body = session.body;
    if (body === undefined) {
      if (proxy.requestBodyFilter !== undefined) {
        const r = proxy.requestBodyFilter(session, null, true, ctx);
        if (isPromiseLike(r)) return this.writeHeadLater(r, head);
      }
      conn.writeRequestHeader(head);
      session.requestSent = true;
      return;
    }
    conn.writeRequestHeader(head, true);
    session.requestSent = true;
    const forwarder = new RequestBodyForwarder(session, proxy, ctx, body, conn, head.headers.has("transfer-encoding"));
    this.requestForwarder = forwarder;
    if (session.request.expectContinue) return this.continueThenBody(body, forwarder);
    body.attach(forwarder);
  }

  private async writeHeadLater(pending: PromiseLike<unknown>, head: RequestHeader): Promise<void> {
    await pending;
    this.conn.writeRequestHeader(head);
    this.session.requestSent = true;
  }

  /**
   * The client hears 100 Continue when the upstream says it (onInterimHead), or from us
   * when the upstream stays silent; after a final answer the body stays unsent.
   */
  private async continueThenBody(body: DownstreamBody, forwarder: RequestBodyForwarder<CTX>): Promise<void> {
    const outcome = await this.conn.awaitContinue(this.engine.continueTimeoutMs);
    if (outcome === "timeout") this.session.downstream.writeContinue();
    if (outcome !== "final") body.attach(forwarder);
  }

  /** @internal {@link ResponseHeadReceiver}: the final response head. */
  onResponseHead(response: ResponseHeader): void {
    const session = this.session;
    session.timing.upstreamFirstByteMs = session.timing.elapsed();
    let result: ZpError | undefined | Promise<ZpError | undefined>;
    try {
      result = response.status === 101 ? this.upgrade(response) : this.respond(response);
    } catch (thrown) {
      this.end(this.failed(thrown));
      return;
    }
    if (isPromiseLike(result)) result.then((err) => this.end(err), (thrown: unknown) => this.end(this.failed(thrown)));
    else this.end(result);
  }

  /** @internal {@link ResponseHeadReceiver}: the exchange failed before a final head. */
  onResponseHeadFailed(err: ZpError): void {
    this.end(this.failed(err));
  }

  /** The attempt is over: `errorWhileProxy` for an error, then the listener. */
  private end(err: ZpError | undefined): void {
    const { session, proxy, peer, ctx } = this;
    session.attempt = null;
    const listener = this.listener!;
    if (err === undefined) {
      listener.attemptFinished(undefined);
      return;
    }
    const reused = this.conn.reused;
    if (proxy.errorWhileProxy === undefined) {
      listener.attemptFinished(defaultErrorWhileProxy(peer, session, err, reused));
      return;
    }
    let decided: ZpError | PromiseLike<ZpError>;
    try {
      decided = proxy.errorWhileProxy(peer, session, err, ctx, reused);
    } catch (thrown) {
      listener.attemptFinished(hookError(thrown, "errorWhileProxy"));
      return;
    }
    if (!isPromiseLike(decided)) {
      listener.attemptFinished(decided);
      return;
    }
    decided.then(
      (e) => listener.attemptFinished(e),
      (thrown: unknown) => listener.attemptFinished(hookError(thrown, "errorWhileProxy")),
    );
  }

  /** The response head arrived (not a 101): the response hooks, then head and body to the client. */
  private respond(response: ResponseHeader): ZpError | undefined | Promise<ZpError | undefined> {
    const { session, proxy, ctx } = this;
    stripHopByHop(response.headers, session.trailersForwarded ? KEEP_TRAILER : KEEP_CODINGS);
    if (proxy.upstreamResponseFilter !== undefined) {
      const r = proxy.upstreamResponseFilter(session, response, ctx);
      if (isPromiseLike(r)) return this.respondLater(r, response, true);
    }
    return this.filteredResponse(response);
  }

  /** After `upstreamResponseFilter`: `responseFilter`, then the response to the client. */
  private filteredResponse(response: ResponseHeader): ZpError | undefined | Promise<ZpError | undefined> {
    const { session, proxy, ctx } = this;
    // cache phases (see cache-phase.ts): response_cache_filter and storing the response go here
    if (proxy.responseFilter !== undefined) {
      const r = proxy.responseFilter(session, response, ctx);
      if (isPromiseLike(r)) return this.respondLater(r, response, false);
    }
    if (session.downstreamError !== undefined) throw session.downstreamError;
    return this.forwardResponse(response);
  }

  /** A response hook returned a promise: the rest of {@link respond} after it settles. */
  private async respondLater(pending: PromiseLike<unknown>, response: ResponseHeader, upstreamFilter: boolean): Promise<ZpError | undefined> {
    await pending;
    if (upstreamFilter) return this.filteredResponse(response);
    if (this.session.downstreamError !== undefined) throw this.session.downstreamError;
    return this.forwardResponse(response);
  }

  /** Sends the response head and body to the client. */
  private forwardResponse(response: ResponseHeader): ZpError | undefined | Promise<ZpError | undefined> {
    const session = this.session;
    const conn = this.conn;
    const res = session.downstream;
    session.prepareHead(response);
    const pieces = conn.takeCompleteBody();
    if (pieces !== undefined) {
      // the whole response came with its head: the connection goes back at once
      const trailers = conn.trailers;
      this.release();
      if (!this.engine.hasResponseBodyHooks && trailers === undefined) {
        res.writeHead(response);
        const last = pieces.length - 1;
        for (let i = 0; i < last; i++) {
          session.responseBodyBytes += pieces[i]!.length;
          res.write(pieces[i]!);
        }
        if (last >= 0) session.responseBodyBytes += pieces[last]!.length;
        res.end(last >= 0 ? pieces[last] : undefined);
        this.responseDone(undefined);
        return res.aborted ? (session.downstreamError ?? closedDownstream()) : undefined;
      }
      const forwarder = new ResponseForwarder(this, session, this.proxy, this.ctx);
      this.responseForwarder = forwarder;
      res.writeHead(response);
      const feeder = new PieceFeeder(pieces, trailers, forwarder);
      forwarder.start(feeder);
      feeder.resume();
      return forwarder.result();
    }
    const forwarder = new ResponseForwarder(this, session, this.proxy, this.ctx);
    this.responseForwarder = forwarder;
    res.writeHead(response);
    forwarder.start(conn);
    conn.setBodySink(forwarder);
    // a streaming body (or a slow one): the client gets the head now, not with the first chunk
    if (!forwarder.finished && !res.headersSent) res.flushHeaders();
    return forwarder.result();
  }

  /** A 101: forward it and join the sockets; resolves when the tunnel closes. */
  private async upgrade(response: ResponseHeader): Promise<ZpError | undefined> {
    const { session, proxy, ctx } = this;
    const res = session.downstream;
    if (!session.isUpgradeRequest || !(res instanceof RawResponse)) {
      throw new ZpError(ErrorType.InvalidHTTPHeader, { context: "a 101 answer to a request that did not ask to upgrade", source: "Upstream" });
    }
    stripHopByHop(response.headers, UPGRADE_KEEP);
    if (proxy.upstreamResponseFilter !== undefined) {
      const r = proxy.upstreamResponseFilter(session, response, ctx);
      if (isPromiseLike(r)) await r;
    }
    if (proxy.responseFilter !== undefined) {
      const r = proxy.responseFilter(session, response, ctx);
      if (isPromiseLike(r)) await r;
    }
    if (session.downstreamError !== undefined) throw session.downstreamError;
    const up = this.conn.takeUpgraded();
    this.released = true;
    session.prepareHead(response);
    res.writeHead(response);
    res.flushHeaders();
    const tunnel = this.engine.openTunnel(res.takeSocket(), session.upgradeHead, up.socket, up.head);
    await tunnel.whenClosed();
    return undefined;
  }

  /** An interim response: `100 Continue` to a client that waits for it, others (103...) as they are. */
  /** @internal {@link InterimReceiver}: a 1xx head from the upstream. */
  onInterimHead(head: ResponseHeader): void {
    const session = this.session;
    try {
      if (head.status === 100) {
        if (session.request.expectContinue) session.downstream.writeContinue();
        return;
      }
      stripHopByHop(head.headers, INTERIM_KEEP);
      session.downstream.writeInformational(head.status, head.headers);
    } catch {
      // an interim answer that cannot be forwarded is dropped (RFC 9110 §15.2 allows it)
    }
  }

  /** @internal The response to the client is over: stop the request side, settle the connection. */
  responseDone(err: ZpError | undefined): void {
    this.stopRequestBody(true);
    if (err === undefined || this.conn.responseComplete) this.release();
    else this.destroy(err);
  }

  /** @internal The client connection failed. */
  downstreamGone(err: ZpError): void {
    const forwarder = this.responseForwarder;
    if (forwarder !== undefined) {
      forwarder.abort(err);
      return;
    }
    this.stopRequestBody(true);
    if (this.conn.responseComplete) this.release();
    else this.destroy(err);
  }

  private failed(thrown: unknown): ZpError {
    const err = thrown instanceof ZpError ? thrown : hookError(thrown, "proxying to the upstream");
    this.stopRequestBody(false);
    this.destroy(err);
    return err;
  }

  /**
   * The attempt no longer sends the request body. `abandon`: the response is over, the
   * server may skip the rest; otherwise the body waits (paused) for a retry.
   */
  private stopRequestBody(abandon: boolean): void {
    const forwarder = this.requestForwarder;
    if (forwarder === undefined) return;
    this.requestForwarder = undefined;
    forwarder.close();
    const body = this.session.body;
    if (body === undefined) return;
    if (abandon) body.abandon();
    else body.detach(forwarder);
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.conn.release();
  }

  private destroy(err: ZpError): void {
    if (this.released) return;
    this.released = true;
    this.conn.destroy(err);
  }
}

function closedDownstream(): ZpError {
  return ZpError.explain(ErrorType.ConnectionClosed, "the client connection closed").asDownstream();
}
