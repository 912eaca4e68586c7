import { describe, expect, it } from "vitest";
import { ErrorSource, ErrorType, RetryType, ZpError, fromSystemError, sameErrorType } from "../src/index.js";

describe("ErrorType", () => {
  it("has stable codes and names", () => {
    expect(ErrorType.ConnectTimeout.code).toBe("ZP_CONNECT_TIMEOUT");
    expect(ErrorType.ReadTimeout.name).toBe("ReadTimeout");
    expect(ErrorType.H2Error.code).toBe("ZP_H2_ERROR");
  });

  it("interns HTTPStatus types by status", () => {
    expect(ErrorType.HTTPStatus(503)).toBe(ErrorType.HTTPStatus(503));
    expect(ErrorType.HTTPStatus(503).status).toBe(503);
    expect(ErrorType.HTTPStatus(503)).not.toBe(ErrorType.HTTPStatus(502));
    expect(() => ErrorType.HTTPStatus(42)).toThrow(RangeError);
  });

  it("validates custom codes", () => {
    expect(ErrorType.Custom("AuthFailed", "APP_AUTH_FAILED").code).toBe("APP_AUTH_FAILED");
    expect(() => ErrorType.Custom("x", "bad code")).toThrow(TypeError);
    expect(sameErrorType(ErrorType.Custom("A", "APP_A"), ErrorType.Custom("A", "APP_A"))).toBe(true);
  });
});

describe("ZpError", () => {
  it("carries type, source, retry, context and cause", () => {
    const sys = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const err = ZpError.because(ErrorType.ConnectRefused, "connecting to 127.0.0.1:1", sys).asUpstream();
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe("ZP_CONNECT_REFUSED");
    expect(err.source).toBe(ErrorSource.Upstream);
    expect(err.cause).toBe(sys);
    expect(err.retryable()).toBe(false);
    expect(err.message).toBe("Upstream ConnectRefused context: connecting to 127.0.0.1:1 cause: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1");
    expect(err.rootCause()).toBe(sys);
  });

  it("resolves retry decisions", () => {
    const err = ZpError.create(ErrorType.ConnectionClosed);
    expect(err.withRetry(RetryType.ReusedOnly).retryable(false)).toBe(false);
    expect(err.retryable(true)).toBe(true);
    expect(err.withRetry(true).retryable(false)).toBe(true);
    expect(err.withRetry(RetryType.Decided(false)).retryable(true)).toBe(false);
  });

  it("chains causes and finds types down the chain", () => {
    const inner = ZpError.explain(ErrorType.ReadTimeout, "reading response header");
    const outer = ZpError.wrap(new ZpError(ErrorType.H1Error, { cause: inner }), ErrorType.InternalError, "proxying");
    expect(outer.type).toBe(ErrorType.H1Error);
    expect(outer.contexts).toEqual(["proxying"]);
    expect(outer.find(ErrorType.ReadTimeout)).toBe(inner);
    expect(outer.find(ErrorType.WriteTimeout)).toBeUndefined();
    expect(outer.rootCause()).toBe(inner);
    expect(outer.message).toContain("cause: ReadTimeout context: reading response header");
  });

  it("wraps foreign values and orders contexts outermost first", () => {
    const e = ZpError.wrap("boom");
    expect(e.type).toBe(ErrorType.InternalError);
    expect(e.cause).toBe("boom");
    e.moreContext("inner").moreContext("outer");
    expect(e.message).toBe("InternalError context: outer: inner cause: boom");
  });

  it("serialises to JSON for logs", () => {
    const e = ZpError.create(ErrorType.HTTPStatus(429), ErrorSource.Downstream, "rate limited");
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: "ZP_HTTP_STATUS", status: 429, source: "Downstream", contexts: ["rate limited"] });
  });

  it("keeps instanceof across two copies of the package", async () => {
    // A second copy of the sources, as when two versions sit in node_modules.
    const { cpSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "zp-error-copy-"));
    cpSync(new URL("../src", import.meta.url), dir, { recursive: true });
    const copy = (await import(join(dir, "index.ts"))) as typeof import("../src/index.js");
    expect(copy.ZpError).not.toBe(ZpError);
    const foreign = new copy.ZpError(copy.ErrorType.ReadTimeout);
    expect(foreign instanceof ZpError).toBe(true);
    expect(new ZpError(ErrorType.ReadTimeout) instanceof copy.ZpError).toBe(true);
    expect(new Error("x") instanceof ZpError).toBe(false);
    expect(ZpError.wrap(foreign)).toBe(foreign);
    expect(sameErrorType(foreign.type, ErrorType.ReadTimeout)).toBe(true);
  });

  it("keeps ordinary instanceof for subclasses", () => {
    class AuthError extends ZpError {}
    expect(new AuthError(ErrorType.InternalError) instanceof AuthError).toBe(true);
    expect(new ZpError(ErrorType.InternalError) instanceof AuthError).toBe(false);
    expect(new AuthError(ErrorType.InternalError) instanceof ZpError).toBe(true);
  });
});

describe("fromSystemError", () => {
  it("maps Node's socket codes by phase", () => {
    const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    expect(fromSystemError(refused, "connect").type).toBe(ErrorType.ConnectRefused);
    const reset = Object.assign(new Error("reset"), { code: "ECONNRESET" });
    expect(fromSystemError(reset, "io").type).toBe(ErrorType.ConnectionClosed);
    const tls = Object.assign(new Error("bad"), { code: "ERR_SSL_WRONG_VERSION_NUMBER" });
    expect(fromSystemError(tls, "connect").type).toBe(ErrorType.TLSHandshakeFailure);
    const cert = Object.assign(new Error("bad"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(fromSystemError(cert, "connect").type).toBe(ErrorType.InvalidCert);
    expect(fromSystemError(new Error("?"), "io").type).toBe(ErrorType.SocketError);
  });

  it("maps a real refused connection on loopback", async () => {
    const net = await import("node:net");
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const err = await new Promise<unknown>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.on("error", resolve);
    });
    const zp = fromSystemError(err, "connect", `connecting to 127.0.0.1:${port}`).asUpstream();
    expect(zp.code).toBe("ZP_CONNECT_REFUSED");
    expect(zp.source).toBe("Upstream");
  });
});
