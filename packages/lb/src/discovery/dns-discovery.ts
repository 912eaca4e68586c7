import { promises as dns } from "node:dns";
import { ZpError } from "@zp/error";
import { Backend, MAX_WEIGHT } from "../backend.js";
import { integerOption } from "../option-checks.js";
import { LbError, LbErrorType } from "../lb-error.js";
import type { DiscoveryResult, ServiceDiscovery } from "./service-discovery.js";

/** Which records {@link DnsDiscovery} reads. */
export type DnsRecordType = "A" | "AAAA" | "A+AAAA" | "SRV";

/** What a DNS-discovered backend carries in `ext`. */
export interface DnsBackendInfo {
  /** The name whose address records gave this backend (the SRV target for SRV). */
  readonly name: string;
  /** The SRV record's priority (SRV only). */
  readonly priority?: number;
  /** The SRV record's weight as published, 0 included (SRV only). */
  readonly srvWeight?: number;
}

/** Options of {@link DnsDiscovery}. */
export interface DnsDiscoveryOptions {
  /** The name to resolve, e.g. `api.internal` or `_http._tcp.api.internal` for SRV. */
  name: string;
  /** Records to read (default `A`). `A+AAAA` takes both; SRV gives priority, weight and port. */
  type?: DnsRecordType;
  /** Port of A/AAAA backends (required for them; SRV records carry their own). */
  port?: number;
  /** Weight of A/AAAA backends (default 1). */
  weight?: number;
  /** DNS servers, e.g. `["127.0.0.1:5353"]` (default: the system's). */
  servers?: string[];
  /** Time per query attempt in ms (default 2000). */
  timeoutMs?: number;
  /** Attempts per query (default 2). */
  tries?: number;
  /** Address families resolved for SRV targets: 4, 6 or 0 for both (default 0). */
  srvFamily?: 4 | 6 | 0;
  /**
   * Keep SRV records of every priority (default `false`: only the lowest priority value, the
   * preferred group, as RFC 2782 clients do).
   */
  allPriorities?: boolean;
  /** A resolver to use instead of a new one (then `servers`, `timeoutMs`, `tries` are ignored). */
  resolver?: dns.Resolver;
}

/** Errors meaning "no such records" rather than "could not ask". */
const EMPTY_CODES = new Set(["ENODATA", "ENOTFOUND"]);

function code(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : "";
}

/**
 * Discovers backends in DNS with `dns.promises.Resolver` (c-ares, so it can ask a given
 * server on a given port): A and/or AAAA records of a name with a fixed port and weight, or
 * SRV records, whose priority, weight and port become the backends' (weight 0 counts as 1;
 * only the lowest priority group unless `allPriorities`), their targets resolved to
 * addresses. A round that cannot resolve anything rejects, so the load balancer keeps the
 * backends it had rather than emptying the set on a transient DNS failure.
 *
 * @example
 * ```ts
 * const discovery = new DnsDiscovery({ name: "_http._tcp.api.internal", type: "SRV", servers: ["10.0.0.53"] });
 * const lb = new LoadBalancer({ discovery, discoveryIntervalMs: 30_000 });
 * ```
 */
export class DnsDiscovery implements ServiceDiscovery<DnsBackendInfo> {
  readonly name: string;
  readonly type: DnsRecordType;
  private readonly port: number;
  private readonly weight: number;
  private readonly srvFamily: 4 | 6 | 0;
  private readonly allPriorities: boolean;
  private readonly resolver: dns.Resolver;

  /** @throws {@link LbError} `ZP_LB_INVALID_OPTION` for a missing name or port, or a bad option. */
  constructor(options: DnsDiscoveryOptions) {
    if (typeof options.name !== "string" || options.name.length === 0) throw new LbError(LbErrorType.InvalidOption, "dns discovery needs a name");
    this.name = options.name;
    this.type = options.type ?? "A";
    if (!["A", "AAAA", "A+AAAA", "SRV"].includes(this.type)) throw new LbError(LbErrorType.InvalidOption, `unknown record type ${JSON.stringify(this.type)}`);
    if (this.type !== "SRV" && options.port === undefined) throw new LbError(LbErrorType.InvalidOption, `${this.type} discovery needs a port`);
    this.port = integerOption(options.port, 0, "port", 1, 65535);
    this.weight = integerOption(options.weight, 1, "weight", 1, MAX_WEIGHT);
    this.srvFamily = options.srvFamily ?? 0;
    this.allPriorities = options.allPriorities === true;
    if (options.resolver !== undefined) {
      this.resolver = options.resolver;
    } else {
      const timeout = integerOption(options.timeoutMs, 2000, "timeoutMs", 1, 2 ** 31 - 1);
      const tries = integerOption(options.tries, 2, "tries", 1, 16);
      this.resolver = new dns.Resolver({ timeout, tries });
      if (options.servers !== undefined) this.resolver.setServers(options.servers);
    }
  }

  async discover(signal?: AbortSignal): Promise<DiscoveryResult<DnsBackendInfo>> {
    if (signal?.aborted) throw signal.reason;
    const onAbort = (): void => this.resolver.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const backends = this.type === "SRV" ? await this.discoverSrv() : await this.discoverAddresses();
      return { backends };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err instanceof ZpError ? err : new LbError(LbErrorType.DiscoveryFailed, `resolving ${this.type} ${this.name}`, err);
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** A and/or AAAA of `name`; rejects when nothing could be resolved. */
  private async addresses(name: string, family: 4 | 6 | 0): Promise<string[]> {
    const lookups: Promise<string[]>[] = [];
    if (family !== 6) lookups.push(this.resolver.resolve4(name));
    if (family !== 4) lookups.push(this.resolver.resolve6(name));
    const results = await Promise.allSettled(lookups);
    const found: string[] = [];
    let failure: unknown;
    let answered = false;
    for (const r of results) {
      if (r.status === "fulfilled") {
        answered = true;
        found.push(...r.value);
      } else if (EMPTY_CODES.has(code(r.reason))) {
        failure ??= r.reason;
      } else {
        failure = r.reason;
      }
    }
    if (!answered || found.length === 0) throw new LbError(LbErrorType.DiscoveryFailed, `no address records for ${name}`, failure);
    return found;
  }

  private async discoverAddresses(): Promise<Backend<DnsBackendInfo>[]> {
    const family = this.type === "A" ? 4 : this.type === "AAAA" ? 6 : 0;
    const addresses = await this.addresses(this.name, family);
    const ext: DnsBackendInfo = { name: this.name };
    return addresses.map((address) => new Backend<DnsBackendInfo>({ address, port: this.port, weight: this.weight, ext }));
  }

  private async discoverSrv(): Promise<Backend<DnsBackendInfo>[]> {
    const records = (await this.resolver.resolveSrv(this.name)).filter((r) => r.name !== "" && r.name !== "." && r.port > 0);
    if (records.length === 0) throw new LbError(LbErrorType.DiscoveryFailed, `no usable SRV records for ${this.name}`);
    const lowest = Math.min(...records.map((r) => r.priority));
    const chosen = this.allPriorities ? records : records.filter((r) => r.priority === lowest);
    const targets = [...new Set(chosen.map((r) => r.name))];
    const resolved = await Promise.allSettled(targets.map((t) => this.addresses(t, this.srvFamily)));
    const byTarget = new Map<string, string[]>();
    let failure: unknown;
    resolved.forEach((r, i) => {
      if (r.status === "fulfilled") byTarget.set(targets[i]!, r.value);
      else failure ??= r.reason;
    });
    const backends: Backend<DnsBackendInfo>[] = [];
    for (const record of chosen) {
      const ext: DnsBackendInfo = { name: record.name, priority: record.priority, srvWeight: record.weight };
      const weight = Math.min(MAX_WEIGHT, Math.max(1, record.weight));
      for (const address of byTarget.get(record.name) ?? []) backends.push(new Backend({ address, port: record.port, weight, ext }));
    }
    if (backends.length === 0) throw new LbError(LbErrorType.DiscoveryFailed, `no SRV target of ${this.name} resolved`, failure);
    return backends;
  }
}
