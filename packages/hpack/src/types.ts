/** A decoded header field: `[name, value]`, both latin1 strings (one char per byte). */
export type HeaderPair = [name: string, value: string];

/**
 * A header field to encode: `[name, value]`, optionally with `true` as third element to mark
 * it sensitive (sent never-indexed, so intermediaries never put it in a table either).
 * Strings must hold only chars U+0000..U+00FF (one byte each). Names should be lowercase for HTTP/2.
 */
export type HeaderInput = readonly [name: string, value: string, sensitive?: boolean];
