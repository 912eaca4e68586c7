import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseErrorCode } from "../src/index.js";
import { collect, randomSplit } from "./helpers/collect.js";
import { llhttpParse, type OracleResult } from "./helpers/llhttp-oracle.js";
import { messages } from "./helpers/message-arbitraries.js";

/**
 * Differential test against Node's own llhttp, strict (no lenient flags): accept/reject
 * must agree and every parsed field must be equal. Where we are deliberately stricter
 * than llhttp (RFC 9110/9112 says so) the divergence is named here:
 * - control bytes in a reason phrase (RFC 9112 §4: HTAB / SP / VCHAR / obs-text);
 * - an empty chunk-extension value `;a=` (RFC 9112 §7.1.1: token / quoted-string);
 * - both `keep-alive` and `close` in an HTTP/1.0 message: close wins (llhttp keeps the
 *   connection open and parses what follows);
 * - a CONNECT request with a Transfer-Encoding whose final coding is not chunked: we
 *   reject it like any other request (llhttp skips the check because it tunnels);
 * - a bare CR in a response's status line (RFC 9112 §2.2; llhttp lets some through);
 * - an empty Transfer-Encoding beside Content-Length (rejected as CL + TE);
 * - the PRI method (HTTP/2 preface, out of scope: an unknown method here);
 * - a CONNECT target that is not authority-form `host:port` bytes (RFC 9112 §3.2.3);
 * - a request-target that starts with `*` but is not exactly `*` (RFC 9112 §3.2.4);
 * - any error after the head of a request that asked to upgrade: Node's binding ignores
 *   parse errors once the upgrade flag is set and treats the rest as the tunnel;
 * - a Content-Length above 2^53 - 1 in a 1xx, 204 or 304 response: llhttp takes values up
 *   to 2^64 - 1 and, with no body to wait for, accepts the message; we reject it.
 */
function allowedDivergence(ours: ReturnType<typeof collect>, theirs: OracleResult, input: Uint8Array): boolean {
  const code = ours.error?.code;
  const text = Buffer.from(input).toString("latin1");
  if (code === ParseErrorCode.InvalidReason) return true;
  if (code === ParseErrorCode.ContentLengthWithTransferEncoding && /Transfer-Encoding:[ \t]*\r?\n/i.test(text)) return true;
  if (code === ParseErrorCode.InvalidMethod && /(^|\n)PRI /.test(text)) return true;
  if (code === ParseErrorCode.InvalidUrl && text.includes("CONNECT ")) return true;
  if (code === ParseErrorCode.BareCr && text.startsWith("HTTP/") && ours.error!.offset < text.indexOf("\n")) return true;
  if (code === ParseErrorCode.InvalidUrl && /^[A-Z-]+ +\*[^ \r\n]/.test(text)) return true;
  const last = theirs.messages[theirs.messages.length - 1];
  if (last?.upgrade === true) return true;
  if (code === ParseErrorCode.DataAfterClose && !sameKeepAlive(input)) return true;
  if (code === ParseErrorCode.InvalidTransferEncoding && text.startsWith("CONNECT ")) return true;
  if (code === ParseErrorCode.InvalidChunkExtension && /=(\r|\n|;)/.test(text)) return true;
  if (code === ParseErrorCode.ContentLengthOverflow && /^HTTP\/\d\.\d (1\d\d|204|304)/.test(text)) return true;
  return false;
}

function sameKeepAlive(input: Uint8Array): boolean {
  const text = Buffer.from(input).toString("latin1");
  return !(/close/i.test(text) && /keep-alive/i.test(text));
}

function check(mode: "request" | "response", input: Uint8Array): void {
  const ours = collect(mode, input, "whole", { finish: true });
  const theirs = llhttpParse(mode, input, true);
  const show = JSON.stringify(Buffer.from(input).toString("latin1"));
  if ((ours.error === null) !== (theirs.error === null)) {
    if (theirs.error === null && allowedDivergence(ours, theirs, input)) return;
    expect.fail(`${show}: ours ${ours.error?.message ?? "accepts"}, llhttp ${theirs.error ?? "accepts"}`);
  }
  if (ours.error === null) {
    expect(ours.messages.length, show).toBe(theirs.messages.length);
    ours.messages.forEach((m, i) => {
      const t = theirs.messages[i]!;
      expect({ ...m, bodyKind: -1, shouldKeepAlive: sameKeepAlive(input) ? m.shouldKeepAlive : null }, show).toEqual({
        ...t,
        shouldKeepAlive: sameKeepAlive(input) ? t.shouldKeepAlive : null,
      });
    });
    expect(ours.upgradeOffset, show).toBe(theirs.upgradeOffset);
  }
  // and the split does not matter
  const split = collect(mode, input, randomSplit(input.length, input.length * 31 + 7), { finish: true });
  expect(split.error?.code ?? null, show).toBe(ours.error?.code ?? null);
  expect(split.messages, show).toEqual(ours.messages);
}

describe("differential against Node's llhttp", () => {
  it("agrees on requests", () => {
    fc.assert(fc.property(messages("request"), (input) => check("request", input)), { numRuns: 4000 });
  });

  it("agrees on responses", () => {
    fc.assert(fc.property(messages("response"), (input) => check("response", input)), { numRuns: 4000 });
  });
});
