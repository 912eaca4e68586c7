import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { Server as NetServer, type Socket } from "node:net";
import {
  TLSSocket,
  createServer as createTlsServer,
  type SecureContext,
  type Server as TlsServer,
  type TLSSocketOptions,
  type TlsOptions,
} from "node:tls";
import { ErrorType, ZpError } from "@zp/error";
import { awaitHandshake, handshakeTimeoutError } from "./await-handshake.js";
import { authorizeClient } from "./client-authorization.js";
import { CoalescingRunner } from "./coalescing-runner.js";
import { loadSnapshot, secureContextOptions, type CertificateInfo, type ContextSnapshot } from "./context-snapshot.js";
import { FileWatcher } from "./file-watcher.js";
import { peekSessionTicket } from "./peek-client-hello.js";
import { resolveServerOptions, type ResolvedServerOptions } from "./resolve-server-options.js";
import { ServerSessionCache } from "./server-session-cache.js";
import type { TlsServerOptions } from "./server-options.js";
import { TicketContexts } from "./ticket-contexts.js";
import { TlsConfigError } from "./tls-config-error.js";
import { tlsError } from "./tls-error.js";

/** Events of a {@link TlsServerContext}. */
export type TlsServerContextEvents = {
  /** New certificates are in use (after a reload that changed something). */
  reload: [certificates: readonly CertificateInfo[]];
  /** A reload triggered by a file change (or a timed key rotation) failed; what was in use stays in use. */
  error: [error: ZpError];
};

/** Options of {@link TlsServerContext.accept}. */
export interface AcceptOptions {
  /** Time allowed for the handshake in ms (default: the context's `handshakeTimeoutMs`). */
  timeoutMs?: number;
  /** Aborts the handshake; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Everything the TLS side of a listener needs, kept current: certificates chosen by SNI,
 * hot reload, ALPN, session tickets with rotating keys, a TLS 1.2 session cache and client
 * certificate checks. Use it over raw accepted sockets ({@link accept}, {@link wrap},
 * {@link socketOptions}) or with a `tls.Server`/`https.Server` ({@link createServer},
 * {@link serverOptions} + {@link attach}). Create one with {@link createTlsServerContext}.
 */
export class TlsServerContext extends EventEmitter<TlsServerContextEvents> {
  readonly #options: TlsServerOptions;
  readonly #resolved: ResolvedServerOptions;
  readonly #tickets: TicketContexts;
  readonly #sessionCache: ServerSessionCache | undefined;
  /** Event hub standing in for a server, so raw-socket TLSSockets reach the session cache. */
  readonly #hub = new NetServer();
  readonly #servers = new Map<TlsServer, () => void>();
  readonly #reloads = new CoalescingRunner(() => this.#reloadOnce());
  #snapshot: ContextSnapshot;
  #watcher: FileWatcher | undefined;
  #rotateTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Use {@link createTlsServerContext}. */
  private constructor(options: TlsServerOptions, resolved: ResolvedServerOptions, snapshot: ContextSnapshot) {
    super();
    this.#options = options;
    this.#resolved = resolved;
    this.#snapshot = snapshot;
    this.#tickets = new TicketContexts(resolved.ring, resolved.base, snapshot);
    if (resolved.sessionCache !== undefined) {
      this.#sessionCache = new ServerSessionCache(resolved.sessionCache);
      this.#sessionCache.attach(this.#hub);
    }
    if (resolved.rotateEveryMs > 0) {
      this.#rotateTimer = setInterval(() => this.#rotateOnTimer(), resolved.rotateEveryMs);
      this.#rotateTimer.unref();
    }
    if (resolved.watch !== undefined) {
      this.#watcher = new FileWatcher(resolved.watch.files, () => this.#reloadFromWatch(), resolved.watch.options);
    }
  }

  /** @internal Validates options, loads the certificates and builds the context. */
  static async create(options: TlsServerOptions): Promise<TlsServerContext> {
    const resolved = resolveServerOptions(options);
    const snapshot = await loadSnapshot(options.certificates, options.clientAuth, resolved.base);
    return new TlsServerContext(options, resolved, snapshot);
  }

  /** The certificates in use, in configuration order. */
  get certificates(): readonly CertificateInfo[] {
    return this.#snapshot.certificates;
  }

  /** The context new connections start with (default certificate, current ticket key). */
  get defaultContext(): SecureContext {
    return this.#tickets.current;
  }

  /** The ALPN protocols offered, in preference order (`undefined` when ALPN is off). */
  get alpnProtocols(): readonly string[] | undefined {
    return this.#resolved.alpn;
  }

  /** The current session ticket key (48 bytes), or `undefined` with tickets off. Secret: never log it. */
  get ticketKey(): Buffer | undefined {
    return this.#resolved.ring?.current;
  }

  /** Sessions held by the TLS 1.2 session cache. */
  get sessionCacheSize(): number {
    return this.#sessionCache?.size ?? 0;
  }

  /** The SecureContext for a server name (exact, then wildcard, then the default certificate). */
  contextFor(servername: string | undefined): SecureContext {
    return this.#snapshot.store.lookup(servername);
  }

  /**
   * The `SNICallback` for `tls.Server`/`TLSSocket` options. It answers synchronously and
   * leaves the connection on its starting context when the default certificate is the match.
   */
  readonly SNICallback = (servername: string, callback: (err: Error | null, ctx?: SecureContext) => void): void => {
    const store = this.#snapshot.store;
    const found = store.find(servername);
    callback(null, found === undefined || found === store.defaultValue ? undefined : found);
  };

  /**
   * Options for `new TLSSocket(rawSocket, options)` on an accepted connection. With client
   * authentication, call {@link authorizeClient} on `'secure'` (or use {@link wrap}/{@link accept},
   * which do it).
   */
  socketOptions(secureContext: SecureContext = this.#tickets.current): TLSSocketOptions {
    // With a single certificate there is nothing to choose: skipping the SNI callback saves
    // Node a round trip into JavaScript per handshake.
    const choose = this.#snapshot.certificates.length > 1;
    return { isServer: true, server: this.#hub, secureContext, ...this.#handshakeOptions(choose) };
  }

  /**
   * Wraps an accepted raw socket in a server-side `TLSSocket` using this context. With
   * required client authentication, a client whose certificate does not verify is
   * destroyed with an `InvalidCert` ZpError right after the handshake.
   */
  wrap(raw: Socket, secureContext: SecureContext = this.#tickets.current): TLSSocket {
    const socket = new TLSSocket(raw, this.socketOptions(secureContext));
    const clientAuth = this.#options.clientAuth;
    if (clientAuth !== undefined) {
      const required = clientAuth.required ?? true;
      socket.once("secure", () => {
        if (!authorizeClient(socket) && required) {
          const code = String((socket as unknown as { authorizationError: unknown }).authorizationError);
          socket.destroy(ZpError.explain(ErrorType.InvalidCert, `client certificate rejected: ${code}`).asDownstream());
        }
      });
    }
    return socket;
  }

  /**
   * Runs the server side of the handshake on an accepted raw socket and resolves with the
   * secure socket (its `alpnProtocol`, `servername` and, with client authentication,
   * `authorized` are set). Rejects with a downstream ZpError (`TLSHandshakeFailure`,
   * `InvalidCert`, `TLSHandshakeTimeout`) after destroying the socket.
   *
   * While a retired ticket key is still accepted, the ClientHello is read first to start the
   * connection on the context holding the key of the ticket it offers.
   */
  async accept(raw: Socket, options: AcceptOptions = {}): Promise<TLSSocket> {
    const timeoutMs = options.timeoutMs ?? this.#resolved.handshakeTimeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(handshakeTimeoutError(timeoutMs)), timeoutMs);
    const onUserAbort = (): void => deadline.abort(options.signal!.reason);
    if (options.signal?.aborted) onUserAbort();
    else options.signal?.addEventListener("abort", onUserAbort, { once: true });
    try {
      let context = this.#tickets.current;
      if (this.#tickets.hasRetiredKeys) {
        const ticket = await peekSessionTicket(raw, deadline.signal);
        if (deadline.signal.aborted) throw deadline.signal.reason;
        context = this.#tickets.forTicket(ticket) ?? context;
      }
      const socket = this.wrap(raw, context);
      await awaitHandshake(socket, "secure", deadline.signal);
      return socket;
    } catch (err) {
      raw.destroy();
      if (options.signal?.aborted && err === options.signal.reason) throw err;
      throw tlsError(err, "downstream", "handshake", "accepting a TLS connection");
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onUserAbort);
    }
  }

  /**
   * Options for `tls.createServer` / `https.createServer`: the default certificate, the SNI
   * callback, ALPN, client authentication, session settings and the current ticket key.
   * Pass the server to {@link attach} so reloads and key rotations reach it.
   */
  serverOptions(): TlsOptions {
    return {
      ...this.#serverSecureContextOptions(this.#snapshot),
      // Always with the SNI callback: a server keeps these options across reloads.
      ...this.#handshakeOptions(true),
      handshakeTimeout: this.#resolved.handshakeTimeoutMs,
    };
  }

  /**
   * Keeps a `tls.Server` (or `https.Server`) made from {@link serverOptions} current: reloads
   * call `setSecureContext`, key rotations `setTicketKeys`, and the TLS 1.2 session cache
   * answers its session events. Stops when the server closes or this context closes.
   */
  attach<S extends TlsServer>(server: S): S {
    if (this.#servers.has(server)) return server;
    const detachCache = this.#sessionCache?.attach(server);
    const onClose = (): void => this.#detach(server);
    server.once("close", onClose);
    this.#servers.set(server, () => {
      detachCache?.();
      server.off("close", onClose);
    });
    const key = this.#resolved.ring?.current;
    if (key !== undefined) server.setTicketKeys(key);
    return server;
  }

  /** A `tls.Server` using this context (see {@link serverOptions} and {@link attach}). */
  createServer(secureConnectionListener?: (socket: TLSSocket) => void): TlsServer {
    return this.attach(createTlsServer(this.serverOptions(), secureConnectionListener));
  }

  /**
   * Re-reads every certificate, key and CA file and, if anything changed, switches new
   * handshakes to them; open connections keep what they negotiated. Resolves `true` when new
   * certificates are in use, `false` when nothing changed. Rejects with a ZpError
   * (`FileReadError`, `InvalidCert`) and keeps the previous certificates when the new
   * material is unusable. Concurrent calls are coalesced.
   */
  reload(): Promise<boolean> {
    return this.#reloads.run();
  }

  /**
   * Makes `nextKey` (48 bytes, default random) the ticket encryption key. The previous key
   * keeps decrypting tickets on raw-socket connections ({@link accept}) until `keep` more
   * rotations retire it; attached `tls.Server`s switch to the new key at once. Runs on a
   * timer every `rotateEveryMs`; call it directly to distribute keys yourself.
   */
  rotateTicketKeys(nextKey: Buffer = randomBytes(48)): void {
    const ring = this.#resolved.ring;
    if (ring === undefined) throw new TlsConfigError("session tickets are turned off for this context");
    ring.rotate(nextKey);
    this.#tickets.rebuild(this.#snapshot, true);
    for (const server of this.#servers.keys()) server.setTicketKeys(ring.current);
  }

  /** Stops watching files and rotating keys, and detaches servers (it does not close them). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    if (this.#rotateTimer !== undefined) clearInterval(this.#rotateTimer);
    for (const server of [...this.#servers.keys()]) this.#detach(server);
  }

  /** SNI, ALPN and client-authentication options shared by raw sockets and servers. */
  #handshakeOptions(sni: boolean): TLSSocketOptions {
    const options: TLSSocketOptions = sni ? { SNICallback: this.SNICallback } : {};
    if (this.#resolved.alpn !== undefined) options.ALPNProtocols = this.#resolved.alpn;
    const clientAuth = this.#options.clientAuth;
    if (clientAuth !== undefined) {
      options.requestCert = true;
      options.rejectUnauthorized = clientAuth.required ?? true;
    }
    return options;
  }

  #serverSecureContextOptions(snapshot: ContextSnapshot): TlsOptions {
    return secureContextOptions(snapshot.defaultCertificate, snapshot.ca, this.#resolved.base, this.#resolved.ring?.current);
  }

  async #reloadOnce(): Promise<boolean> {
    const snapshot = await loadSnapshot(this.#options.certificates, this.#options.clientAuth, this.#resolved.base);
    if (snapshot.digest === this.#snapshot.digest || this.#closed) return false;
    // Builds every context first: a failure leaves the old certificates in place.
    this.#tickets.rebuild(snapshot, false);
    this.#snapshot = snapshot;
    const serverOptions = this.#serverSecureContextOptions(snapshot);
    for (const server of this.#servers.keys()) server.setSecureContext(serverOptions);
    this.emit("reload", snapshot.certificates);
    return true;
  }

  #reloadFromWatch(): void {
    this.reload().catch((err: unknown) => this.#report(ZpError.wrap(err, ErrorType.InternalError, "reloading TLS certificates")));
  }

  #rotateOnTimer(): void {
    try {
      this.rotateTicketKeys();
    } catch (err) {
      this.#report(ZpError.wrap(err, ErrorType.InternalError, "rotating TLS ticket keys"));
    }
  }

  /** Reports a background failure: an unhandled 'error' event would crash the process over a file being rewritten. */
  #report(error: ZpError): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
    else process.emitWarning(error);
  }

  #detach(server: TlsServer): void {
    const detach = this.#servers.get(server);
    if (detach === undefined) return;
    this.#servers.delete(server);
    detach();
  }
}

/**
 * Loads the certificates of `options` and returns a {@link TlsServerContext} ready for
 * handshakes. Rejects with a `TlsConfigError` for unusable options and with a ZpError
 * (`FileReadError`, `InvalidCert`) for unusable certificate material.
 *
 * @example
 * ```ts
 * const tls = await createTlsServerContext({
 *   certificates: [{ certFile: "a.pem", keyFile: "a.key" }, { certFile: "wild.pem", keyFile: "wild.key" }],
 *   watch: true,
 * });
 * net.createServer(async (raw) => {
 *   const socket = await tls.accept(raw).catch(() => undefined);
 *   socket?.end(`hello ${socket.servername} over ${socket.alpnProtocol}\n`);
 * }).listen(8443);
 * ```
 */
export function createTlsServerContext(options: TlsServerOptions): Promise<TlsServerContext> {
  return TlsServerContext.create(options);
}
