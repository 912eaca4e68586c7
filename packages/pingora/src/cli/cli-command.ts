import type { HostPort } from "../config/host-port.js";

/** What `zp` was asked to do. */
export type CliCommand =
  | { readonly kind: "help"; readonly topic: "zp" | "reverse-proxy" }
  | { readonly kind: "version" }
  | { readonly kind: "demo"; readonly listen: HostPort; readonly admin: HostPort | false }
  | { readonly kind: "conf"; readonly file: string; readonly test: boolean; readonly daemon: boolean; readonly upgrade: boolean }
  | ReverseProxyCommand;

/** `zp reverse-proxy ...`. */
export interface ReverseProxyCommand {
  readonly kind: "reverse-proxy";
  readonly from: HostPort;
  /** Backends as given (`host:port` or `http(s)://host:port`). */
  readonly to: readonly string[];
  readonly lb: string;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly healthPath: string | undefined;
  readonly admin: HostPort | undefined;
  readonly retries: number;
  readonly accessLog: string;
}
