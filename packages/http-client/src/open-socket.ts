import { performance } from "node:perf_hooks";
import { connect as netConnect, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { ErrorType, RetryType, ZpError } from "@zp/error";
import { ReadArea, areaReadOptions, setReadArea } from "@zp/http";
import { connectTls, tlsError } from "@zp/tls";
import type { TimerWheel } from "@zp/timeout";
import { connectTimeoutError } from "./client-errors.js";
import type { ResolvedPeer } from "./resolved-peer.js";

/** State of one TCP connect, handed to the wheel's callback (no closure per timer). */
interface Pending {
  socket: Socket;
  fail: (err: ZpError) => void;
  ms: number;
  where: string;
}

function onConnectTimer(p: Pending): void {
  p.fail(connectTimeoutError(p.ms, p.where));
}

/** TCP connect with its timeout on the wheel → `ConnectTimeout`, `ConnectRefused`, ... (retryable). */
function connectTcp(peer: ResolvedPeer, wheel: TimerWheel, where: string): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket;
    if (peer.tls === undefined) {
      // plain TCP reads into the thread's one read buffer, past Node's stream layer (see ReadArea)
      const onread = areaReadOptions(ReadArea.shared());
      socket = netConnect({ host: peer.host, port: peer.port, noDelay: true, onread });
      setReadArea(socket, onread);
    } else {
      socket = netConnect({ host: peer.host, port: peer.port, noDelay: true });
    }
    let timer = 0;
    const cleanup = (): void => {
      wheel.cancel(timer);
      socket.removeListener("connect", onConnect);
      socket.removeListener("error", onError);
    };
    const fail = (err: ZpError): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (err: Error): void => fail(tlsError(err, "upstream", "connect", where));
    socket.once("connect", onConnect);
    socket.on("error", onError);
    timer = wheel.arm(peer.timeouts.connectMs, onConnectTimer, { socket, fail, ms: peer.timeouts.connectMs, where });
  });
}

/**
 * Opens a connection to a peer: TCP (with the connect timeout on the wheel), then the TLS
 * handshake for a TLS peer (certificate and hostname checks, SNI, ALPN, client certificate,
 * session resumption by `@zp/tls`) within what is left of the connect timeout.
 *
 * Rejects with an upstream `ZpError`: `ConnectRefused`, `ConnectTimeout`, `ConnectNoRoute`,
 * `ConnectError` (all `Decided(true)`: nothing was sent), `InvalidCert`,
 * `TLSHandshakeFailure`, `TLSHandshakeTimeout`, or `HandshakeError` when the upstream picked
 * an ALPN protocol other than HTTP/1.1.
 */
export async function openSocket(peer: ResolvedPeer, wheel: TimerWheel): Promise<Socket> {
  const where = `connecting to ${peer.host}:${peer.port}`;
  const started = performance.now();
  const tcp = await connectTcp(peer, wheel, where);
  tcp.setKeepAlive(true, 60_000);
  if (peer.tls === undefined) return tcp;
  const left = Math.max(1, peer.timeouts.connectMs - (performance.now() - started));
  let socket: TLSSocket;
  try {
    socket = await connectTls({ ...peer.tls, socket: tcp, timeoutMs: left === Number.POSITIVE_INFINITY ? 2 ** 31 - 1 : left });
  } catch (err) {
    tcp.destroy();
    throw err;
  }
  const alpn = socket.alpnProtocol;
  if (alpn !== false && alpn !== null && alpn !== undefined && alpn !== "http/1.1" && alpn !== "http/1.0") {
    socket.destroy();
    throw ZpError.explain(ErrorType.HandshakeError, `${where}: the upstream chose ALPN ${JSON.stringify(alpn)}, not HTTP/1.1`)
      .asUpstream()
      .withRetry(RetryType.Decided(false));
  }
  return socket;
}
