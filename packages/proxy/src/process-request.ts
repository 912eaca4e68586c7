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
import { type AttemptEngine, UpstreamAttempt } from "./upstream-attempt.js";

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
export async function processRequest<CTX>(engine: FlowEngine<CTX>, session: Session): Promise<void> {
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
    let error: ZpError | undefined;
    let tries = 0;
    try {
      for (;;) {
        tries++;
        session.tries = tries;
        error = session.downstreamError;
        if (error === undefined) {
          const r = proxyToUpstream(engine, session, ctx);
          error = isPromiseLike(r) ? await r : r;
        }
        if (error === undefined) break;
        if (tries > engine.maxRetries || !mayRetry(session, error)) break;
        engine.logger.warn(`Fail to proxy: ${error.describe()}, tries: ${tries}, retry: true, ${summary(app, session, ctx)}`);
      }
    } catch (bug) {
      error = hookError(bug, "proxying");
    }
    if (error === undefined) {
      const done = finish(engine, session, ctx, undefined);
      if (done !== undefined) await done;
      return;
    }
    await failRequest(engine, session, ctx, error, "Fail to proxy:", tries);

  } catch (bug) {
    // a fault of the proxy itself: never leave the client hanging, never reject
    try {
      engine.logger.error(`internal proxy failure: ${hookError(bug, "proxying").describe()}, ${session.requestSummary()}`);
      const res = session.downstream;
      if (!res.finished && !res.aborted) res.destroy(bug);
    } catch {
      // nothing more can be done
    }
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
 * One attempt: pick the peer, connect (or reuse), proxy. Returns (or resolves with) the
 * error that ended it. Synchronous up to the attempt itself when `upstreamPeer` is and the
 * connection is pooled: the common path costs no extra promise or microtask.
 */
function proxyToUpstream<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX): ZpError | undefined | Promise<ZpError | undefined> {
  const app = engine.app;
  let peer: HttpPeer | PromiseLike<HttpPeer>;
  try {
    peer = app.upstreamPeer(session, ctx);
  } catch (thrown) {
    return hookError(thrown, "upstreamPeer");
  }
  if (isPromiseLike(peer)) return awaitPeer(engine, session, ctx, peer);
  return connectTo(engine, session, ctx, peer);
}

async function awaitPeer<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, pending: PromiseLike<HttpPeer>): Promise<ZpError | undefined> {
  let peer: HttpPeer;
  try {
    peer = await pending;
  } catch (thrown) {
    return hookError(thrown, "upstreamPeer");
  }
  return connectTo(engine, session, ctx, peer);
}

function connectTo<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, peer: HttpPeer): ZpError | undefined | Promise<ZpError | undefined> {
  session.peer = peer;
  let conn: ClientConnection | undefined;
  try {
    conn = engine.connector.idle(peer);
  } catch (thrown) {
    return hookError(thrown, "the peer returned by upstreamPeer");
  }
  if (conn === undefined) return openAndRun(engine, session, ctx, peer);
  // a pooled connection takes no time to get: no clock reads
  session.timing.upstreamConnectMs = 0;
  session.upstreamReused = conn.reused;
  return new UpstreamAttempt(engine, session, engine.app, ctx, peer, conn).run();
}

async function openAndRun<CTX>(engine: FlowEngine<CTX>, session: Session, ctx: CTX, peer: HttpPeer): Promise<ZpError | undefined> {
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
        return hookError(hookThrew, "failToConnect");
      }
    }
    if (err.source === "Unset") err.asUpstream();
    return err;
  }
  session.timing.upstreamConnectMs = session.timing.elapsed() - started;
  session.upstreamReused = conn.reused;
  return new UpstreamAttempt(engine, session, app, ctx, peer, conn).run();
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
