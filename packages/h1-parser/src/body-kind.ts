/** How the body of a message is framed (RFC 9112 §6.3). */
export const BodyKind = Object.freeze({
  /** No body: Content-Length 0 or absent in a request, HEAD/1xx/204/304 responses. */
  None: 0,
  /** Exactly `contentLength` bytes. */
  Length: 1,
  /** Transfer-Encoding: chunked. */
  Chunked: 2,
  /** A response body that ends when the connection closes. */
  UntilClose: 3,
} as const);

/** One of the {@link BodyKind} values. */
export type BodyKind = (typeof BodyKind)[keyof typeof BodyKind];
