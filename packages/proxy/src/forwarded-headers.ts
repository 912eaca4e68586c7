import { type HeaderMap, PreparedField } from "@zp/http";
import type { Session } from "./session.js";

/** Which forwarding fields a proxy adds to the upstream request. */
export interface ForwardedOptions {
  /** Append the client's address to `X-Forwarded-For`. */
  xForwardedFor: boolean;
  /** Set `X-Forwarded-Proto` to `http` or `https`. */
  xForwardedProto: boolean;
  /** Append an RFC 7239 `Forwarded` element (`for`, `proto`, `host`). */
  forwarded: boolean;
  /** Append `1.1 <via>` to `Via` (request and response); undefined: none. */
  via: string | undefined;
}

/** An IPv4-mapped IPv6 address as the plain IPv4 address. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.indexOf(".") > 0 ? address.slice(7) : address;
}

/** A `Forwarded` node: IPv6 in quotes and brackets (RFC 7239 §6). */
function forwardedNode(address: string): string {
  return address.includes(":") ? `"[${address}]"` : address;
}

function appendList(headers: HeaderMap, name: string, value: string): void {
  const existing = headers.getJoined(name);
  if (existing === undefined) headers.appendUnchecked(name, value);
  else headers.setUnchecked(name, `${existing}, ${value}`);
}

const PROTO_HTTP = new PreparedField("X-Forwarded-Proto", "http");
const PROTO_HTTPS = new PreparedField("X-Forwarded-Proto", "https");

// The `X-Forwarded-For` field of the last client seen: a connection's requests (and a busy
// client's connections) add the same field again and again, made once.
let lastClient = "";
let lastForwardedFor: PreparedField | undefined;

function forwardedForField(client: string): PreparedField {
  if (client !== lastClient || lastForwardedFor === undefined) {
    lastForwardedFor = new PreparedField("X-Forwarded-For", client);
    lastClient = client;
  }
  return lastForwardedFor;
}

/** Adds the forwarding fields `options` asks for to an upstream request's `headers`. */
export function addForwardedHeaders(headers: HeaderMap, session: Session, options: ForwardedOptions): void {
  const raw = session.clientAddress;
  const client = raw === undefined ? undefined : plainAddress(raw);
  const tls = session.isTls;
  if (options.xForwardedFor && client !== undefined) {
    if (headers.has("x-forwarded-for")) appendList(headers, "X-Forwarded-For", client);
    else headers.appendPrepared(forwardedForField(client));
  }
  if (options.xForwardedProto) headers.setPrepared(tls ? PROTO_HTTPS : PROTO_HTTP);
  const proto = tls ? "https" : "http";
  if (options.forwarded) {
    let element = client === undefined ? `proto=${proto}` : `for=${forwardedNode(client)};proto=${proto}`;
    const host = session.getHeader("host");
    if (host !== undefined && /^[\w.:[\]-]+$/.test(host)) element += `;host=${host.includes(":") ? `"${host}"` : host}`;
    appendList(headers, "Forwarded", element);
  }
  if (options.via !== undefined) appendList(headers, "Via", `1.1 ${options.via}`);
}

/** Appends `1.1 <via>` to a response's `Via`. */
export function addVia(headers: HeaderMap, via: string): void {
  appendList(headers, "Via", `1.1 ${via}`);
}
