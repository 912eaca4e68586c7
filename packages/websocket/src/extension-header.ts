import { WebSocketError } from "./websocket-error.js";

/** One extension of a `Sec-WebSocket-Extensions` header: a name and its parameters in order. */
export interface ExtensionOffer {
  name: string;
  /** Parameter name → value (`true` for a parameter without a value), in header order. */
  params: Array<[string, string | true]>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1, RFC 7692 §5): a comma-separated
 * list of extensions, each `name; param; param=value; param="quoted value"`.
 * Throws a {@link WebSocketError} (`ZP_WS_HANDSHAKE_FAILED`) on malformed input.
 */
export function parseExtensions(header: string): ExtensionOffer[] {
  const offers: ExtensionOffer[] = [];
  let i = 0;
  const n = header.length;
  const fail = (why: string): never => {
    throw new WebSocketError("ZP_WS_HANDSHAKE_FAILED", `invalid Sec-WebSocket-Extensions (${why}) at ${i}: ${JSON.stringify(header)}`);
  };
  const skipSpace = () => {
    while (i < n && (header[i] === " " || header[i] === "\t")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && !" \t,;=\"".includes(header[i]!)) i++;
    const token = header.slice(start, i);
    if (!TOKEN.test(token)) fail("expected a token");
    return token;
  };
  skipSpace();
  if (i === n) return offers;
  for (;;) {
    skipSpace();
    const offer: ExtensionOffer = { name: readToken(), params: [] };
    skipSpace();
    while (header[i] === ";") {
      i++;
      skipSpace();
      const name = readToken();
      skipSpace();
      let value: string | true = true;
      if (header[i] === "=") {
        i++;
        skipSpace();
        if (header[i] === '"') {
          i++;
          let text = "";
          while (i < n && header[i] !== '"') {
            if (header[i] === "\\") i++;
            if (i < n) text += header[i++];
          }
          if (header[i] !== '"') fail("unterminated quoted string");
          i++;
          if (!TOKEN.test(text)) fail("quoted value must be a token");
          value = text;
        } else {
          value = readToken();
        }
        skipSpace();
      }
      offer.params.push([name, value]);
    }
    offers.push(offer);
    if (i === n) return offers;
    if (header[i] !== ",") fail("expected , or ;");
    i++;
  }
}

/** Formats extensions for a `Sec-WebSocket-Extensions` header. */
export function formatExtensions(offers: ExtensionOffer[]): string {
  return offers
    .map((o) => [o.name, ...o.params.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join("; "))
    .join(", ");
}
