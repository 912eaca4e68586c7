import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { buildClientRequest, generateKey, validateServerResponse, type ClientHandshakeOptions } from "./handshake.js";
import { HeadReader, type ReadHead } from "./head-reader.js";
import { headerLookup } from "./header-source.js";
import { PerMessageDeflate, type PerMessageDeflateOptions } from "./permessage-deflate.js";
import type { ReceiverLimits } from "./receiver.js";
import { WebSocket } from "./websocket.js";
import { WebSocketError } from "./websocket-error.js";

/** Options of {@link connect}. */
export interface ConnectOptions extends ClientHandshakeOptions, ReceiverLimits {
  /** Time allowed for TCP/TLS connect plus the handshake, in ms (default 10,000). */
  handshakeTimeout?: number;
  /** Largest handshake response head in bytes (default 16 KiB). */
  maxHeaderBytes?: number;
  /** TLS options for `wss:` URLs (CA, client certificate, `rejectUnauthorized`, ...). */
  tls?: ConnectionOptions;
  /** Answer pings automatically (default true). */
  autoPong?: boolean;
  /** Time to wait for the server to close TCP after the close handshake, in ms (default 30,000). */
  closeTimeout?: number;
}

/**
 * Opens a WebSocket to `url` (`ws:` or `wss:`): connects, performs the opening handshake and
 * resolves with an open {@link WebSocket}. Rejects with a `WebSocketError`
 * (`ZP_WS_HANDSHAKE_FAILED`) or the socket's error.
 *
 * @example
 * ```ts
 * const ws = await connect("ws://127.0.0.1:8080/chat", { perMessageDeflate: true });
 * ws.on("message", (data, isBinary) => console.log(isBinary ? data : data.toString()));
 * ws.send("hello");
 * ```
 */
export function connect(url: string | URL, options: ConnectOptions = {}): Promise<WebSocket> {
  const target = typeof url === "string" ? new URL(url) : url;
  if (target.protocol !== "ws:" && target.protocol !== "wss:") {
    return Promise.reject(new WebSocketError("ZP_WS_INVALID_ARGUMENT", `unsupported URL scheme ${target.protocol}`));
  }
  const secure = target.protocol === "wss:";
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const port = Number(target.port || (secure ? 443 : 80));
  let request: Buffer;
  const key = generateKey();
  try {
    request = buildClientRequest(target, key, options);
  } catch (err) {
    return Promise.reject(err);
  }

  return new Promise<WebSocket>((resolve, reject) => {
    const socket: Socket = secure
      ? tlsConnect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, ALPNProtocols: ["http/1.1"], ...options.tls })
      : netConnect({ host, port });
    const reader = new HeadReader("response", options.maxHeaderBytes ?? 16 * 1024);
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new WebSocketError("ZP_WS_HANDSHAKE_FAILED", `handshake with ${target.host} timed out`)),
      options.handshakeTimeout ?? 10_000,
    );
    timer.unref();
    socket.once(secure ? "secureConnect" : "connect", () => socket.write(request));
    socket.on("error", fail);
    socket.on("close", () => fail(new WebSocketError("ZP_WS_HANDSHAKE_FAILED", "connection closed during the handshake")));
    const onData = (chunk: Buffer) => {
      let head: ReadHead | undefined;
      try {
        head = reader.push(chunk);
      } catch (err) {
        fail(new WebSocketError("ZP_WS_HANDSHAKE_FAILED", "malformed handshake response", 0, { cause: err }));
        return;
      }
      if (head === undefined) return;
      let agreed: ReturnType<typeof validateServerResponse>;
      try {
        agreed = validateServerResponse(head.status, headerLookup(head.headers), key, options);
      } catch (err) {
        fail(err as Error);
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.removeAllListeners("error");
      socket.removeAllListeners("close");
      const deflateOptions: PerMessageDeflateOptions = typeof options.perMessageDeflate === "object" ? options.perMessageDeflate : {};
      const ws = new WebSocket(socket, {
        isServer: false,
        protocol: agreed.protocol,
        extensions: agreed.extensions,
        deflate: agreed.deflate === null ? null : new PerMessageDeflate(agreed.deflate, false, deflateOptions),
        autoPong: options.autoPong ?? true,
        closeTimeout: options.closeTimeout ?? 30_000,
        ...(options.maxFrameSize !== undefined ? { maxFrameSize: options.maxFrameSize } : {}),
        ...(options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {}),
        ...(options.maxFragments !== undefined ? { maxFragments: options.maxFragments } : {}),
      });
      ws.start(head.rest);
      resolve(ws);
    };
    socket.on("data", onData);
  });
}
