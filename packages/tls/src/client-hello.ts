/** TLS record content type of handshake messages. */
const RECORD_HANDSHAKE = 22;
/** Handshake message type of a ClientHello. */
const HANDSHAKE_CLIENT_HELLO = 1;
/** Extension carrying a TLS 1.2 session ticket (RFC 5077). */
const EXT_SESSION_TICKET = 35;
/** Extension carrying TLS 1.3 PSK identities (RFC 8446 §4.2.11). */
const EXT_PRE_SHARED_KEY = 41;
/** A ClientHello larger than this is not worth waiting for (the TLS limit is 2^24). */
export const MAX_CLIENT_HELLO_BYTES = 64 * 1024;

/** What {@link scanClientHello} found in the first bytes of a connection. */
export type ClientHelloScan =
  /** More bytes are needed to see the whole ClientHello. */
  | { readonly kind: "incomplete" }
  /** The bytes are not a (well-formed) TLS ClientHello; stop looking. */
  | { readonly kind: "invalid" }
  /**
   * The ClientHello was read. `ticket` is the session ticket the client offers: its first
   * TLS 1.3 PSK identity, else its TLS 1.2 session_ticket extension (absent when empty).
   */
  | { readonly kind: "complete"; readonly ticket: Uint8Array | undefined };

const incomplete: ClientHelloScan = Object.freeze({ kind: "incomplete" });
const invalid: ClientHelloScan = Object.freeze({ kind: "invalid" });

/**
 * Scans the first bytes a client sent for its ClientHello and the session ticket in it,
 * without copying in the usual case of a ClientHello in one record. Fragmented
 * ClientHellos (several records) are reassembled. Never throws.
 */
export function scanClientHello(data: Uint8Array): ClientHelloScan {
  let message: Uint8Array | undefined;
  const fragments: Uint8Array[] = [];
  let gathered = 0;
  let offset = 0;
  while (offset + 5 <= data.length) {
    if (data[offset] !== RECORD_HANDSHAKE || data[offset + 1] !== 3) return invalid;
    const length = (data[offset + 3]! << 8) | data[offset + 4]!;
    if (length === 0) return invalid;
    const end = offset + 5 + length;
    if (end > data.length) return data.length >= MAX_CLIENT_HELLO_BYTES ? invalid : incomplete;
    fragments.push(data.subarray(offset + 5, end));
    gathered += length;
    offset = end;
    message = fragments.length === 1 ? fragments[0]! : concat(fragments, gathered);
    if (message.length >= 4) {
      if (message[0] !== HANDSHAKE_CLIENT_HELLO) return invalid;
      const bodyLength = (message[1]! << 16) | (message[2]! << 8) | message[3]!;
      if (bodyLength > MAX_CLIENT_HELLO_BYTES) return invalid;
      if (message.length >= 4 + bodyLength) return parseBody(message.subarray(4, 4 + bodyLength));
    }
  }
  return data.length >= MAX_CLIENT_HELLO_BYTES ? invalid : incomplete;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Parses a ClientHello body: version, random, session id, suites, compression, extensions. */
function parseBody(body: Uint8Array): ClientHelloScan {
  let at = 2 + 32; // legacy_version, random
  if (at + 1 > body.length) return invalid;
  at += 1 + body[at]!; // legacy_session_id
  if (at + 2 > body.length) return invalid;
  at += 2 + ((body[at]! << 8) | body[at + 1]!); // cipher_suites
  if (at + 1 > body.length) return invalid;
  at += 1 + body[at]!; // legacy_compression_methods
  if (at === body.length) return { kind: "complete", ticket: undefined }; // no extensions
  if (at + 2 > body.length) return invalid;
  const extensionsEnd = at + 2 + ((body[at]! << 8) | body[at + 1]!);
  if (extensionsEnd > body.length) return invalid;
  at += 2;
  let ticket: Uint8Array | undefined;
  while (at + 4 <= extensionsEnd) {
    const type = (body[at]! << 8) | body[at + 1]!;
    const length = (body[at + 2]! << 8) | body[at + 3]!;
    const start = at + 4;
    const end = start + length;
    if (end > extensionsEnd) return invalid;
    if (type === EXT_PRE_SHARED_KEY) {
      const identity = firstPskIdentity(body.subarray(start, end));
      if (identity === null) return invalid;
      return { kind: "complete", ticket: identity };
    }
    if (type === EXT_SESSION_TICKET && length > 0) ticket = body.subarray(start, end);
    at = end;
  }
  return at === extensionsEnd ? { kind: "complete", ticket } : invalid;
}

/** The first identity of a pre_shared_key extension; `null` when malformed. */
function firstPskIdentity(ext: Uint8Array): Uint8Array | null {
  if (ext.length < 2) return null;
  const identitiesLength = (ext[0]! << 8) | ext[1]!;
  if (2 + identitiesLength > ext.length || identitiesLength < 2) return null;
  const length = (ext[2]! << 8) | ext[3]!;
  if (length === 0 || 4 + length + 4 > 2 + identitiesLength) return null;
  return ext.subarray(4, 4 + length);
}
