import { Buffer } from "node:buffer";
import { ResponseHeader, reasonPhrase } from "@zp/http";

/**
 * The q-value `accept` gives a media type: the most specific matching range wins
 * (`type/subtype` over `type/*` over `*\/*`); 0 when nothing matches.
 */
function quality(accept: string, type: string, subtype: string): number {
  let best = -1;
  let bestQ = 0;
  for (const part of accept.split(",")) {
    const params = part.split(";");
    const range = params[0]!.trim().toLowerCase();
    const slash = range.indexOf("/");
    if (slash < 0) continue;
    const t = range.slice(0, slash);
    const s = range.slice(slash + 1);
    const specificity = t === type && s === subtype ? 2 : t === type && s === "*" ? 1 : t === "*" && s === "*" ? 0 : -1;
    if (specificity <= best) continue;
    let q = 1;
    for (let i = 1; i < params.length; i++) {
      const p = params[i]!.trim();
      if (p.startsWith("q=") || p.startsWith("Q=")) q = Number(p.slice(2)) || 0;
    }
    best = specificity;
    bestQ = q;
  }
  return bestQ;
}

/** Whether a client sending `accept` prefers `application/json` to `text/html`. */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes("json")) return false;
  return quality(accept, "application", "json") > quality(accept, "text", "html");
}

/** The text of an error page for `status`, e.g. `502 Bad Gateway`. */
function title(status: number): string {
  const reason = reasonPhrase(status);
  return reason.length > 0 ? `${status} ${reason}` : String(status);
}

/**
 * A small error response: an HTML page (or JSON when the client's `Accept` prefers it)
 * naming the status, `Cache-Control: private, no-store`, and `Connection: close` unless
 * `keepAlive`.
 */
export function errorPage(status: number, accept: string | undefined, keepAlive: boolean): { head: ResponseHeader; body: Buffer } {
  const text = title(status);
  const json = prefersJson(accept);
  const body = Buffer.from(
    json
      ? `{"error":{"status":${status},"message":${JSON.stringify(reasonPhrase(status))}}}\n`
      : `<html>\n<head><title>${text}</title></head>\n<body>\n<center><h1>${text}</h1></center>\n</body>\n</html>\n`,
    "latin1",
  );
  const head = ResponseHeader.build(status);
  const h = head.headers;
  h.appendUnchecked("Content-Type", json ? "application/json" : "text/html; charset=utf-8");
  h.appendUnchecked("Content-Length", String(body.length));
  h.appendUnchecked("Cache-Control", "private, no-store");
  if (!keepAlive) h.appendUnchecked("Connection", "close");
  return { head, body };
}
