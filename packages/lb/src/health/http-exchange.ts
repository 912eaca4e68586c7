import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { ErrorType, ZpError, fromSystemError } from "@zp/error";
import { H1Parser, ParseError } from "@zp/h1-parser";
import { HeaderMap } from "@zp/http";
import { LbError, LbErrorType } from "../lb-error.js";

/** The response an HTTP health check received. */
export interface HealthResponse {
  /** Status code of the final (non-1xx) response. */
  readonly status: number;
  /** Its header fields. */
  readonly headers: HeaderMap;
  /** Its body (empty for HEAD, 204, 304). */
  readonly body: Buffer;
}

/**
 * @internal Writes `request` on `socket`, reads one response with `@zp/h1-parser` and
 * destroys the socket. Rejects with an upstream `ZpError` (closed early, bad response, body
 * over `maxBodyBytes`) or with `signal.reason` once it aborts.
 */
export function exchange(socket: Socket, request: Buffer, isHead: boolean, maxBodyBytes: number, where: string, signal: AbortSignal): Promise<HealthResponse> {
  return new Promise<HealthResponse>((resolve, reject) => {
    let status = 0;
    let headers: HeaderMap | undefined;
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    let settled = false;

    const finish = (error: unknown, response?: HealthResponse): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.removeListener("data", onData);
      socket.removeListener("end", onEnd);
      socket.removeListener("error", onError);
      socket.destroy();
      if (response !== undefined) resolve(response);
      else reject(error);
    };

    const parser = new H1Parser("response", {
      onHeaders(head) {
        if (head.status < 200) return;
        status = head.status;
        headers = HeaderMap.fromRawHeaders(head.headerStrings());
        return isHead;
      },
      onBody(buf, start, end) {
        if (headers === undefined) return;
        bodyBytes += end - start;
        if (bodyBytes > maxBodyBytes) {
          finish(new LbError(LbErrorType.BodyTooLarge, `${where}: response body over ${maxBodyBytes} bytes`).asUpstream());
          return;
        }
        chunks.push(Buffer.from(buf.subarray(start, end)));
      },
      onMessageComplete() {
        if (headers === undefined) return;
        finish(undefined, { status, headers, body: Buffer.concat(chunks, bodyBytes) });
      },
    });

    const parseFailed = (err: unknown): void => {
      const type = err instanceof ParseError && err.code === "ZP_H1_UNEXPECTED_EOF" ? ErrorType.ConnectionClosed : ErrorType.H1Error;
      finish(ZpError.because(type, `${where}: reading the response`, err).asUpstream());
    };
    const onData = (chunk: Buffer): void => {
      try {
        parser.execute(chunk);
      } catch (err) {
        parseFailed(err);
      }
    };
    const onEnd = (): void => {
      try {
        parser.finish();
      } catch (err) {
        parseFailed(err);
        return;
      }
      finish(ZpError.explain(ErrorType.ConnectionClosed, `${where}: connection closed before a complete response`).asUpstream());
    };
    const onError = (err: Error): void => finish(fromSystemError(err, "io", `${where}: reading the response`).asUpstream());
    const onAbort = (): void => finish(signal.reason);

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("error", onError);
    socket.write(request);
  });
}
