import type { ZpError } from "@zp/error";
import type { AccessLogRecord, Session } from "@zp/proxy";

/**
 * What the logging phase knows about a finished request, as one object that feeds both the
 * metrics (`ProxyMetrics.observe`) and the access log (`AccessLog.log`).
 */
export function requestRecord(session: Session, error: ZpError | undefined, upstreamStatus: number | undefined): AccessLogRecord {
  const peer = session.peer;
  const timing = session.timing;
  const fresh = peer !== undefined && !session.upstreamReused && timing.upstreamConnectMs >= 0;
  return {
    time: timing.startedAt,
    clientIp: session.clientAddress,
    method: session.method,
    path: session.uri,
    status: session.responseWritten?.status ?? 0,
    bytesSent: session.responseBodyBytes,
    durationMs: timing.totalMs,
    upstream: peer?.endpoint,
    upstreamStatus,
    connectMs: fresh ? timing.upstreamConnectMs : undefined,
    reused: peer === undefined ? undefined : session.upstreamReused,
    errorCode: error?.code,
    userAgent: session.getHeader("user-agent"),
    requestId: session.getHeader("x-request-id"),
  };
}
