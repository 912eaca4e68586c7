import type { RequestHeader } from "@zp/http";
import { stripHopByHop } from "./hop-by-hop.js";
import { type HttpPeer, authorityOf } from "./http-peer.js";
import type { Session } from "./session.js";

const NO_KEEP = { upgrade: false, trailer: false, codings: false };
const KEEP_UPGRADE = { upgrade: true, trailer: false, codings: false };

/**
 * The head sent upstream for one attempt: a copy of the session's request head (with the
 * edits hooks made to it) as HTTP/1.1, an absolute-form target turned into origin-form,
 * hop-by-hop fields removed, `Upgrade` kept with `Connection: Upgrade` for an upgrade,
 * `TE: trailers` passed on when the client accepts trailers, and a `Host` for a request
 * that came without one.
 */
export function upstreamRequestHead(session: Session, peer: HttpPeer): RequestHeader {
  const head = session.request.headCopy();
  const upgrade = session.isUpgradeRequest;
  const trailers = stripHopByHop(head.headers, upgrade ? KEEP_UPGRADE : NO_KEEP);
  // what the response side needs to know of the client's TE, without building the session's head
  session.trailersForwarded = trailers && session.request.version === "HTTP/1.1";
  head.version = "HTTP/1.1";
  const first = head.uri.charCodeAt(0);
  if (first !== 0x2f && first !== 0x2a) head.toOriginForm();
  const headers = head.headers;
  if (upgrade) headers.appendUnchecked("Connection", trailers ? "Upgrade, TE" : "Upgrade");
  else if (trailers) headers.appendUnchecked("Connection", "TE");
  if (trailers) headers.appendUnchecked("TE", "trailers");
  if (!headers.has("host")) headers.appendUnchecked("Host", authorityOf(peer));
  return head;
}
