import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { WEBSOCKET_GUID } from "./constants.js";
import { formatExtensions, parseExtensions, type ExtensionOffer } from "./extension-header.js";
import { headerTokens, type HeaderLookup } from "./header-source.js";
import {
  PERMESSAGE_DEFLATE,
  acceptOffer,
  acceptResponse,
  clientOffer,
  type DeflateParams,
  type PerMessageDeflateOptions,
} from "./permessage-deflate.js";
import { WebSocketError } from "./websocket-error.js";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/** A new random `Sec-WebSocket-Key` (16 random bytes, base64). */
export function generateKey(): string {
  return randomBytes(16).toString("base64");
}

/** The `Sec-WebSocket-Accept` value for a key (RFC 6455 §4.2.2). */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + WEBSOCKET_GUID).digest("base64");
}

/** Chooses the subprotocol from those the client offered, or returns undefined for none. */
export type ProtocolSelector = (offered: string[]) => string | undefined;

/** What the server side of a handshake accepts. */
export interface ServerHandshakeOptions {
  /** Subprotocols the server speaks, in no particular order (the client's order wins), or a selector. */
  protocols?: string[] | ProtocolSelector;
  /** Enable permessage-deflate (true for defaults) and say what to accept. Default: off. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
}

/** A handshake the server accepted. */
export interface AcceptedHandshake {
  ok: true;
  /** The `101 Switching Protocols` response head to write. */
  response: Buffer;
  protocol: string;
  extensions: string;
  deflate: DeflateParams | null;
}

/** A handshake the server refused, with the response to send. */
export interface RefusedHandshake {
  ok: false;
  status: 400 | 403 | 405 | 426;
  reason: string;
  /** Extra response headers (e.g. `Sec-WebSocket-Version: 13` on 426). */
  headers: Array<[string, string]>;
}

function refuse(status: RefusedHandshake["status"], reason: string, headers: Array<[string, string]> = []): RefusedHandshake {
  return { ok: false, status, reason, headers };
}

function hasToken(value: string | undefined, token: string): boolean {
  return headerTokens(value).some((t) => t.toLowerCase() === token);
}

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): validates an upgrade request's
 * method and headers, selects the subprotocol and negotiates permessage-deflate.
 */
export function negotiateServer(
  method: string,
  header: HeaderLookup,
  options: ServerHandshakeOptions = {},
): AcceptedHandshake | RefusedHandshake {
  if (method !== "GET") return refuse(405, "WebSocket upgrade requires GET", [["Allow", "GET"]]);
  if (header("host") === undefined) return refuse(400, "missing Host header");
  if (!hasToken(header("upgrade"), "websocket")) return refuse(400, "missing or invalid Upgrade header");
  if (!hasToken(header("connection"), "upgrade")) return refuse(400, "missing or invalid Connection header");
  const version = header("sec-websocket-version");
  if (version?.trim() !== "13") {
    return refuse(version === undefined ? 400 : 426, "unsupported Sec-WebSocket-Version", [["Sec-WebSocket-Version", "13"]]);
  }
  const key = header("sec-websocket-key")?.trim();
  if (key === undefined || !KEY.test(key)) return refuse(400, "missing or invalid Sec-WebSocket-Key");

  let protocol = "";
  const protocolHeader = header("sec-websocket-protocol");
  if (protocolHeader !== undefined) {
    const offered = headerTokens(protocolHeader);
    if (offered.some((p) => !TOKEN.test(p)) || new Set(offered).size !== offered.length) {
      return refuse(400, "invalid Sec-WebSocket-Protocol");
    }
    const choose = options.protocols;
    const chosen = typeof choose === "function" ? choose(offered) : offered.find((p) => choose?.includes(p) ?? false);
    if (chosen !== undefined) {
      if (!offered.includes(chosen)) return refuse(400, "selected subprotocol was not offered");
      protocol = chosen;
    }
  }

  let extensions = "";
  let deflate: DeflateParams | null = null;
  const extensionHeader = header("sec-websocket-extensions");
  if (extensionHeader !== undefined && options.perMessageDeflate) {
    let offers: ExtensionOffer[];
    try {
      offers = parseExtensions(extensionHeader);
    } catch {
      return refuse(400, "invalid Sec-WebSocket-Extensions");
    }
    const deflateOptions = options.perMessageDeflate === true ? {} : options.perMessageDeflate;
    const agreed = acceptOffer(offers, deflateOptions);
    if (agreed !== undefined) {
      deflate = agreed.params;
      extensions = formatExtensions([agreed.response]);
    }
  }

  let head =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n`;
  if (protocol) head += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  if (extensions) head += `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  head += "\r\n";
  return { ok: true, response: Buffer.from(head, "latin1"), protocol, extensions, deflate };
}

/** Formats a refused handshake as a complete HTTP/1.1 response that closes the connection. */
export function refusalResponse(refused: RefusedHandshake): Buffer {
  const reasons: Record<number, string> = { 400: "Bad Request", 403: "Forbidden", 405: "Method Not Allowed", 426: "Upgrade Required" };
  const body = `${refused.reason}\n`;
  let head = `HTTP/1.1 ${refused.status} ${reasons[refused.status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  for (const [k, v] of refused.headers) head += `${k}: ${v}\r\n`;
  return Buffer.from(`${head}\r\n${body}`, "utf8");
}

/** What a client asks for in the opening handshake. */
export interface ClientHandshakeOptions {
  /** Subprotocols to offer, most preferred first. */
  protocols?: string[];
  /** Offer permessage-deflate (true for defaults). Default: off. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Extra request headers (e.g. `Origin`, `Authorization`). */
  headers?: Record<string, string>;
}

/** The client's opening request head for `url` (ws: or wss:). */
export function buildClientRequest(url: URL, key: string, options: ClientHandshakeOptions = {}): Buffer {
  const path = `${url.pathname || "/"}${url.search}`;
  let head = `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`;
  if (options.protocols !== undefined && options.protocols.length > 0) {
    for (const p of options.protocols) {
      if (!TOKEN.test(p)) throw new WebSocketError("ZP_WS_INVALID_ARGUMENT", `invalid subprotocol ${JSON.stringify(p)}`);
    }
    head += `Sec-WebSocket-Protocol: ${options.protocols.join(", ")}\r\n`;
  }
  if (options.perMessageDeflate) {
    const deflateOptions = options.perMessageDeflate === true ? {} : options.perMessageDeflate;
    head += `Sec-WebSocket-Extensions: ${formatExtensions([clientOffer(deflateOptions)])}\r\n`;
  }
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (!TOKEN.test(k) || /[\r\n\0]/.test(v)) throw new WebSocketError("ZP_WS_INVALID_ARGUMENT", `invalid header ${JSON.stringify(k)}`);
    head += `${k}: ${v}\r\n`;
  }
  return Buffer.from(`${head}\r\n`, "latin1");
}

/**
 * The client's check of the server's answer (RFC 6455 §4.1): status 101, Upgrade and
 * Connection tokens, the accept key, a subprotocol among those offered, and only extensions
 * that were offered. Throws `ZP_WS_HANDSHAKE_FAILED` otherwise.
 */
export function validateServerResponse(
  status: number,
  header: HeaderLookup,
  key: string,
  options: ClientHandshakeOptions = {},
): { protocol: string; extensions: string; deflate: DeflateParams | null } {
  const fail = (why: string): never => {
    throw new WebSocketError("ZP_WS_HANDSHAKE_FAILED", `WebSocket handshake failed: ${why}`);
  };
  if (status !== 101) fail(`unexpected status ${status}`);
  if (!hasToken(header("upgrade"), "websocket")) fail("missing or invalid Upgrade header");
  if (!hasToken(header("connection"), "upgrade")) fail("missing or invalid Connection header");
  if (header("sec-websocket-accept")?.trim() !== acceptKey(key)) fail("invalid Sec-WebSocket-Accept");
  const protocol = header("sec-websocket-protocol")?.trim() ?? "";
  if (protocol !== "" && !(options.protocols ?? []).includes(protocol)) fail(`server chose a subprotocol that was not offered: ${protocol}`);
  let deflate: DeflateParams | null = null;
  let extensions = "";
  const extensionHeader = header("sec-websocket-extensions");
  if (extensionHeader !== undefined && extensionHeader.trim() !== "") {
    const offers = parseExtensions(extensionHeader);
    if (!options.perMessageDeflate) fail("server sent extensions that were not offered");
    if (offers.length !== 1 || offers[0]!.name !== PERMESSAGE_DEFLATE) fail("server sent an extension that was not offered");
    const deflateOptions = options.perMessageDeflate === true ? {} : (options.perMessageDeflate as PerMessageDeflateOptions);
    deflate = acceptResponse(offers[0]!, deflateOptions);
    extensions = formatExtensions(offers);
  }
  return { protocol, extensions, deflate };
}
