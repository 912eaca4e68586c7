import { ErrorType, ZpError } from "@zp/error";
import { ResponseHeader, isIdempotent } from "@zp/http";
import type { ClientConnection, Connector } from "@zp/http-client";
import { serveFromCache } from "./cache-phase.js";
import { defaultFailToProxy } from "./default-hooks.js";
import type { HttpPeer } from "./http-peer.js";
import { isPromiseLike } from "./maybe-promise.js";
import { ProxyErrorType, hookError, upstreamError } from "./proxy-errors.js";
import type { ProxyHttp } from "./proxy-http.js";
import type { ProxyLogger } from "./proxy-logger.js";
import type { Session } from "./session.js";
import { type AttemptEngine, type AttemptListener, UpstreamAttempt } from "./upstream-attempt.js";

/** What the request flow needs from the proxy. */
export interface FlowEngine<CTX> extends AttemptEngine {
  readonly app: ProxyHttp<CTX>;
  readonly connector: Connector;
  readonly logger: ProxyLogger;
  readonly maxRetries: number;
}

/**
 * Runs one request through the phases in Pingora's order (see {@link ProxyHttp}), with
 * retries, the final error handling and `logging`. Never rejects: whatever a hook or the
 * network does ends as a response (or an aborted one) and a log line.
 */
export function processRequest<CTX>(engine: FlowEngine<CTX>, session: Session): void {
  const app = engine.app;
  if (app.earlyRequestFilter !== undefined || app.requestFilter !== undefined || app.proxyUpstreamFilter !== undefined || session.method === "CONNECT") {
    void filterThenProxy(engine, session);
    return;
  }
  // no request filter: straight to the attempts, without the promise of an async function
  let ctx = undefined as CTX;
  try {
    if (app.newCtx !== undefined) ctx = app.newCtx();
  } catch (thrown) {
    const phase = "Fail to create the request context:";
    failRequest(engine, session, ctx, hookError(thrown, phase), phase, 0).then(undefined, (bug: unknown) => internalFailure(engine, session, bug));
    return;
  }
  try {
    if (serveFromCache(app, session, ctx)) {
      void finish(engine, session, ctx, undefined);
      return;
    }
    new AttemptLoop(engine, session, ctx).next();
  } catch (bug) {
    internalFailure(engine, session, bug);
  }
}

/** {@link processRequest} with the request filters, awaiting those that return promises. */
async function filterThenProxy<CTX>(engine: FlowEngine<CTX>, session: Session): Promise<void> {
  try {
    const app = engine.app;
    let ctx = undefined as CTX;
    let phase = "Fail to create the request context:";
    try {
      if (app.newCtx !== undefined) ctx = app.newCtx();
      if (app.earlyRequestFilter !== undefined) {
        phase = "Fail to early filter request:";
        const r = app.earlyRequestFilter(session, ctx);
        if (isPromiseLike(r)) await r;
      }
      if (app.requestFilter !== undefined) {
        phase = "Fail to filter request:";
        let answered = app.requestFilter(session, ctx);
        if (isPromiseLike(answered)) answered = await answered;
        if (answered === true) {
          const res = session.downstream;
          if (session.responseWritten === undefined && !res.finished && !res.aborted) {
            throw new ZpError(ProxyErrorType.HookMisuse, { context: "requestFilter returned true without a response", source: "Internal" });
          }
          if (!res.finished && !res.aborted) res.end();
          const done = finish(engine, session, ctx, undefined);
          if (done !== undefined) await done;
          return;
        }
      }
      if (serveFromCache(app, session, ctx)) {
        const done = finish(engine, session, ctx, undefined);
        if (done !== undefined) await done;
        return;
      }
      if (app.proxyUpstreamFilter !== undefined) {
        phase = "Error deciding if we should proxy to upstream:";
        let proceed = app.proxyUpstreamFilter(session, ctx);
        if (isPromiseLike(proceed)) proceed = await proceed;
        if (proceed === false) {
          declined(session);
          const done = finish(engine, session, ctx, undefined);
          if (done !== undefined) await done;
          return;
        }
      }
    } catch (thrown) {
      await failRequest(engine, session, ctx, hookError(thrown, phase), phase, 0);
      return;
    }

    if (session.method === "CONNECT") {
      // a reverse proxy opens no tunnels to hosts of the client's choosing (hooks may answer CONNECT themselves)
      const refused = new ZpError(ErrorType.HTTPStatus(405), { context: "CONNECT is not proxied", source: "Downstream" });
      await failRequest(engine, session, ctx, refused, "Fail to proxy:", 0);
      return;
    }
    new AttemptLoop(engine, session, ctx).next();
  } catch (bug) {
    internalFailure(engine, session, bug);
  }
}

/** A fault of the proxy itself: never leave the client hanging, never reject. */
function internalFailure<CTX>(engine: FlowEngine<CTX>, session: Session, bug: unknown): void {
  try {
    engine.logger.error(`internal proxy failure: ${hookError(bug, "proxying").describe()}, ${session.requestSummary()}`);
    const res = session.downstream;
    if (!res.finished && !res.aborted) res.destroy(bug);
  } catch {
    // nothing more can be done
  }
}

/**
 * The attempts of one request: each one's end (through {@link AttemptListener}) decides
 * whether another follows, then the request finishes or fails. Callbacks, not a loop over
 * promises: an exchange whose hooks are synchronous costs no promise and no microtask.
 */
class AttemptLoop<CTX> implements AttemptListener {
  private tries = 0;
  private readonly engine: FlowEngine<CTX>;
  private readonly session: Session;
  private readonly ctx: CTX;

  constructor(engine: FlowEngine<CTX>, session: Session, ctx: CTX) {
    this.engine = engine;
    this.session = session;
    this.ctx = ctx;
  }

  /** Starts the next attempt. */
  next(): void {
    const session = this.session;
    session.tries = ++this.tries;
    const refused = session.downstreamError;
    if (refused !== undefined) {
      this.attemptFinished(refused);
      return;
    }
    try {
      startAttempt(this.engine, session, this.ctx, this);
    } catch (bug) {
      this.done(hookError(bug, "proxying"));
    }
  }

  /** @internal {@link AttemptListener} */
  attemptFinished(error: ZpError | undefined): void {
    try {
      if (error === undefined || this.tries > this.engine.maxRetries || !mayRetry(this.session, error)) {
        this.done(error);
        return;
      }
      this.engine.logger.warn(`Fail to proxy: ${error.describe()}, tries: ${this.tries}, retry: true, ${summary(this.engine.app, this.session, this.ctx)}`);
      this.next();
    } catch (bug) {
      internalFailure(this.engine, this.session, bug);
    }
  }

  private done(error: ZpError | undefined): void {
    const { engine, session, ctx } = this;
    if (error === undefined) {
      // `finish` handles a failing `logging` itself
      void finish(engine, session, ctx, undefined);
      return;
    }
    failRequest(engine, session, ctx, error, "Fail to proxy:", this.tries).then(undefined, (bug: unknown) => internalFailure(engine, session, bug));
  }
}

/** Whether a failed attempt may be followed by another one. */
function mayRetry(session: Session, error: ZpError): boolean {
  if (!error.retryable()) return false;
  const res = session.downstream;
  if (res.headersSent || res.finished || res.aborted || session.downstreamError !== undefined) return false;
  const body = session.body;
  if (body !== undefined && !body.replayable) return false;
  // a request that is not idempotent may have had effects once any byte of it went out
  return !(session.requestSent && !isIdempotent(session.method));
}

/**
 * One attempt: pick the peer, connect (or reuse), proxy; `listener` hears how it ended.
 * Synchronous up to the attempt itself when `upstreamPeer` is and the connection is pooled.
 */
function startAttempt<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, listener: AttemptListener): void {
  let peer: HttpPeer | PromiseLike<HttpPeer>;
  try {
    peer = engine.app.upstreamPeer(session, ctx);
  } catch (thrown) {
    listener.attemptFinished(hookError(thrown, "upstreamPeer"));
    return;
  }
  if (!isPromiseLike(peer)) {
    connectTo(engine, session, ctx, peer, listener);
    return;
  }
  peer.then(
    (chosen) => connectTo(engine, session, ctx, chosen, listener),
    (thrown: unknown) => listener.attemptFinished(hookError(thrown, "upstreamPeer")),
  );
}

function connectTo<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, peer: HttpPeer, listener: AttemptListener): void {
  session.peer = peer;
  let conn: ClientConnection | undefined;
  try {
    conn = engine.connector.idle(peer);
  } catch (thrown) {
    listener.attemptFinished(hookError(thrown, "the peer returned by upstreamPeer"));
    return;
  }
  if (conn === undefined) {
    void openAndStart(engine, session, ctx, peer, listener);
    return;
  }
  // a pooled connection takes no time to get: no clock reads
  session.timing.upstreamConnectMs = 0;
  session.upstreamReused = conn.reused;
  new UpstreamAttempt(engine, session, engine.app, ctx, peer, conn).start(listener);
}

async function openAndStart<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, peer: HttpPeer, listener: AttemptListener): Promise<void> {
  const app = engine.app;
  const started = session.timing.elapsed();
  let conn: ClientConnection;
  try {
    conn = await engine.connector.open(peer);
  } catch (thrown) {
    let err = upstreamError(thrown);
    if (app.failToConnect !== undefined) {
      try {
        const r = app.failToConnect(session, peer, ctx, err);
        err = isPromiseLike(r) ? await r : r;
      } catch (hookThrew) {
        listener.attemptFinished(hookError(hookThrew, "failToConnect"));
        return;
      }
    }
    if (err.source === "Unset") err.asUpstream();
    listener.attemptFinished(err);
    return;
  }
  session.timing.upstreamConnectMs = session.timing.elapsed() - started;
  session.upstreamReused = conn.reused;
  new UpstreamAttempt(engine, session, app, ctx, peer, conn).start(listener);
}

/** `proxyUpstreamFilter` said no: its own answer stands, else a bare 502. */
function declined(session: Session): void {
  const res = session.downstream;
  if (res.finished || res.aborted) return;
  if (session.responseWritten === undefined) {
    const head = ResponseHeader.build(502);
    head.headers.appendUnchecked("Content-Length", "0");
    head.headers.appendUnchecked("Cache-Control", "private, no-store");
    session.writeResponseHeader(head);
  }
  res.end();
}

/** The request failed for good: `failToProxy`, the error log line, then `logging`. */
async function failRequest<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, error: ZpError, what: string, tries: number): Promise<void> {
  const app = engine.app;
  session.body?.abandon();
  let status = 0;
  try {
    if (app.failToProxy === undefined) status = defaultFailToProxy(session, error);
    else {
      const r = app.failToProxy(session, error, ctx);
      status = isPromiseLike(r) ? await r : r;
    }
  } catch (thrown) {
    status = defaultFailToProxy(session, hookError(thrown, "failToProxy"));
  }
  let suppress = false;
  try {
    suppress = app.suppressErrorLog?.(session, ctx, error) === true;
  } catch {
    suppress = false;
  }
  if (!suppress) {
    const retries = tries > 0 ? `, tries: ${tries}, retry: false` : "";
    engine.logger.error(`${what} ${error.describe()}, status: ${status}${retries}, ${summary(app, session, ctx)}`);
  }
  const done = finish(engine, session, ctx, error);
  if (done !== undefined) await done;
}

/**
 * Ends the session: whatever response is still open is completed or aborted, then
 * `logging` (a promise only when `logging` returned one).
 */
function finish<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, error: ZpError | undefined): void | Promise<void> {
  const res = session.downstream;
  if (!res.finished && !res.aborted) {
    if (error !== undefined || session.responseWritten === undefined) res.destroy(error ?? ZpError.explain(ErrorType.InternalError, "no response was written"));
    else res.end();
  }
  session.timing.finish();
  const logging = engine.app.logging;
  if (logging === undefined) return;
  try {
    const r = logging.call(engine.app, session, error, ctx);
    // the failure handler is only made when `logging` returned a promise: no closure per request
    if (isPromiseLike(r)) return Promise.resolve(r).then(undefined, (thrown: unknown) => loggingFailed(engine, thrown));
  } catch (thrown) {
    loggingFailed(engine, thrown);
  }
}

function loggingFailed<CTX>(engine: FlowEngine<CTX>, thrown: unknown): void {
  engine.logger.error(`logging failed: ${hookError(thrown, "logging").describe()}`);
}

function summary<CTX>(app: ProxyHttp<CTX>, session: Session, ctx: CTX): string {
  try {
    return app.requestSummary === undefined ? session.requestSummary() : app.requestSummary(session, ctx);
  } catch {
    return session.requestSummary();
  }
}
