/** An HTTP version, as written in a request or status line. */
export type Version = "HTTP/1.0" | "HTTP/1.1" | "HTTP/2";

/** The HTTP versions as constants. */
export const Version = Object.freeze({
  Http10: "HTTP/1.0",
  Http11: "HTTP/1.1",
  Http2: "HTTP/2",
} as const satisfies Record<string, Version>);

/**
 * The version a text names (`HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/2.0`), or undefined.
 */
export function parseVersion(text: string): Version | undefined {
  switch (text) {
    case "HTTP/1.1":
      return "HTTP/1.1";
    case "HTTP/1.0":
      return "HTTP/1.0";
    case "HTTP/2":
    case "HTTP/2.0":
      return "HTTP/2";
    default:
      return undefined;
  }
}

/**
 * The version written on the HTTP/1 wire: `HTTP/1.0` stays, everything else is `HTTP/1.1`
 * (an HTTP/2 head forwarded over HTTP/1 is written as 1.1).
 */
export function wireVersion(version: Version): "HTTP/1.0" | "HTTP/1.1" {
  return version === "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
}

const HTTP_10_BYTES = new Uint8Array([0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x30]);
const HTTP_11_BYTES = new Uint8Array([0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31]);

/** {@link wireVersion} as its 8 wire bytes. */
export function wireVersionBytes(version: Version): Uint8Array {
  return version === "HTTP/1.0" ? HTTP_10_BYTES : HTTP_11_BYTES;
}
