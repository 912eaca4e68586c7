import { ParseErrorCode } from "@zp/h1-parser";

/**
 * The status a server answers a request the parser refused with, by the parser's code.
 * 0 means "answer nothing, just close": the client went away mid-message, or sent bytes
 * after a request that closes the connection (its response already says so).
 */
export function statusForParseError(code: string): number {
  switch (code) {
    case ParseErrorCode.HeadersTooLarge:
    case ParseErrorCode.TooManyHeaders:
    case ParseErrorCode.TrailersTooLarge:
    case ParseErrorCode.TooManyTrailers:
      return 431;
    case ParseErrorCode.UrlTooLong:
      return 414;
    case ParseErrorCode.ContentLengthOverflow:
      return 413;
    case ParseErrorCode.UnexpectedEof:
    case ParseErrorCode.DataAfterClose:
    case ParseErrorCode.Closed:
      return 0;
    default:
      // Everything else is malformed or ambiguous framing: never guess, refuse and close.
      return 400;
  }
}
