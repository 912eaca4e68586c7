import { performance } from "node:perf_hooks";
import { ZpError } from "@zp/error";
import { Backend, type BackendLike } from "./backend.js";
import { Backends } from "./backends.js";
import { BackgroundRunner } from "./background.js";
import type { ServiceDiscovery } from "./discovery/service-discovery.js";
import { StaticDiscovery } from "./discovery/static-discovery.js";
import { integerOption } from "./option-checks.js";
import { EndpointHealth } from "./health/endpoint-health.js";
import type { HealthCheck } from "./health/health-check.js";
import { resolvePassive, type PassiveHealthOptions, type ResolvedPassive } from "./health/passive-options.js";
import { runLimited } from "./health/run-limited.js";
import { LbError, LbErrorType } from "./lb-error.js";
import { buildSelection } from "./selection/algorithms.js";
import { InflightTracker, type InflightCounter } from "./selection/inflight.js";
import type { Selection, SelectionBuilder, SelectionContext, SelectionKey, SelectionName } from "./selection/selection.js";
import { UniqueIterator } from "./selection/unique-iterator.js";
import { Snapshot } from "./snapshot.js";

/** `select()`'s default bound on walk steps. */
export const DEFAULT_MAX_ITERATIONS = 256;

/** What `select()` does when no backend is healthy. */
export type AllDownPolicy = "fail_open" | "fail_closed";

/** Why a backend's health changed. */
export type HealthChangeReason = "active_check" | "passive_ejection" | "passive_recovery";

/** Called when a backend's health (active checks and passive ejection together) flips. */
export type HealthChangeListener<E> = (backend: Backend<E>, healthy: boolean, reason: HealthChangeReason, cause?: unknown) => void;

/** Options of {@link LoadBalancer}. */
export interface LoadBalancerOptions<E = unknown> {
  /** The algorithm (default `round_robin`), or a custom {@link SelectionBuilder}. */
  selection?: SelectionName | SelectionBuilder;
  /** Where backends come from (default: a {@link StaticDiscovery}, empty unless given to `fromBackends`). */
  discovery?: ServiceDiscovery<E>;
  /** Pause between discovery rounds in ms; unset: discovery runs once, at `start()`. */
  discoveryIntervalMs?: number;
  /** The active health check; unset: backends are healthy unless passive health ejects them. */
  healthCheck?: HealthCheck;
  /** Pause between health check rounds in ms; unset: checks run once, at `start()`. */
  healthCheckIntervalMs?: number;
  /** Checks run at once in a round (default 8; 1 checks one backend after the other). */
  healthCheckConcurrency?: number;
  /** Passive health (default on with its defaults; `false` ignores reported failures). */
  passive?: PassiveHealthOptions | boolean;
  /** When nothing is healthy: `fail_closed` (default) selects nothing, `fail_open` ignores health. */
  allDown?: AllDownPolicy;
  /** Health of a backend seen for the first time (default `true`, as in pingora). */
  startHealthy?: boolean;
  /** `select()`'s default bound on walk steps (default {@link DEFAULT_MAX_ITERATIONS}). */
  maxIterations?: number;
  /** Health change notifications. */
  onHealthChange?: HealthChangeListener<E>;
  /** Failures of background discovery rounds (the current set is kept). */
  onError?: (error: ZpError) => void;
  /** Millisecond clock for passive health (default `performance.now`). */
  clock?: () => number;
  /** Random numbers in [0, 1) for `random`, `p2c` and ejection jitter (default `Math.random`). */
  random?: () => number;
  /** In-flight counts for `least_conn`/`p2c` (default: an {@link InflightTracker} fed by `onStart`/`onEnd`). */
  inflight?: InflightCounter;
}

/** A backend's health as the load balancer sees it. */
export interface BackendHealth {
  /** Healthy by the active checks. */
  readonly healthy: boolean;
  /** Enabled by hand (or by discovery). */
  readonly enabled: boolean;
  /** Ejected by passive health (including half-open). */
  readonly ejected: boolean;
  /** Whether `select()` could choose it now. */
  readonly ready: boolean;
}

const defaultClock = (): number => performance.now();

/**
 * Backends, selection, health and discovery together (pingora's `LoadBalancer`).
 *
 * `select(key)` walks the selection algorithm from its first choice and returns the first
 * backend that is enabled, healthy and not ejected, within `maxIterations` steps. The
 * backend set, the selection built over it and the health states live in one immutable
 * snapshot, swapped whole when discovery (or `add`/`remove`/`reweight`) changes the set, so
 * the algorithm is rebuilt only on a real change and never under a walk. Health is kept per
 * endpoint (`address:port`) across rebuilds and weight changes.
 *
 * @example
 * ```ts
 * const lb = LoadBalancer.fromBackends(["10.0.0.1:80", "10.0.0.2:80"], {
 *   selection: "least_conn",
 *   healthCheck: new TcpHealthCheck(),
 *   healthCheckIntervalMs: 5_000,
 * });
 * await lb.start();
 * const backend = lb.select();
 * ```
 */
export class LoadBalancer<E = unknown> {
  /** Where backends come from. */
  readonly discovery: ServiceDiscovery<E>;
  /** The active health check, if any. */
  readonly healthCheck: HealthCheck | undefined;
  private readonly algorithm: SelectionName | SelectionBuilder;
  private readonly context: SelectionContext;
  private readonly tracker: InflightTracker | undefined;
  private readonly passive: ResolvedPassive | undefined;
  private readonly trialTimeoutMs: number;
  private readonly failOpen: boolean;
  private readonly startHealthy: boolean;
  private readonly maxIterations: number;
  private readonly discoveryIntervalMs: number | undefined;
  private readonly healthCheckIntervalMs: number | undefined;
  private readonly concurrency: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly onHealthChange: HealthChangeListener<E> | undefined;
  private readonly onError: ((error: ZpError) => void) | undefined;
  private readonly runner = new BackgroundRunner();
  private readonly states = new Map<string, EndpointHealth<E>>();
  private snap: Snapshot<E>;
  private updating: Promise<boolean> | undefined;
  private checking: Promise<void> | undefined;

  /**
   * @throws {@link LbError} `ZP_LB_INVALID_OPTION` for a bad option or selection name.
   */
  constructor(options: LoadBalancerOptions<E> = {}) {
    this.algorithm = options.selection ?? "round_robin";
    if (typeof this.algorithm !== "function") buildSelection(this.algorithm, [], { random: Math.random, inflight: new InflightTracker() });
    this.discovery = options.discovery ?? new StaticDiscovery<E>();
    this.healthCheck = options.healthCheck;
    this.clock = options.clock ?? defaultClock;
    this.random = options.random ?? Math.random;
    this.tracker = options.inflight === undefined ? new InflightTracker() : undefined;
    this.context = { random: this.random, inflight: options.inflight ?? this.tracker! };
    this.passive = options.passive === false ? undefined : resolvePassive(options.passive === true || options.passive === undefined ? {} : options.passive);
    this.trialTimeoutMs = this.passive?.trialTimeoutMs ?? 0;
    if (options.allDown !== undefined && options.allDown !== "fail_open" && options.allDown !== "fail_closed") {
      throw new LbError(LbErrorType.InvalidOption, `allDown must be "fail_open" or "fail_closed", got ${JSON.stringify(options.allDown)}`);
    }
    this.failOpen = options.allDown === "fail_open";
    this.startHealthy = options.startHealthy ?? true;
    this.maxIterations = integerOption(options.maxIterations, DEFAULT_MAX_ITERATIONS, "maxIterations", 1, 2 ** 31 - 1);
    this.discoveryIntervalMs = options.discoveryIntervalMs === undefined ? undefined : integerOption(options.discoveryIntervalMs, 0, "discoveryIntervalMs", 1, 2 ** 31 - 1);
    this.healthCheckIntervalMs =
      options.healthCheckIntervalMs === undefined ? undefined : integerOption(options.healthCheckIntervalMs, 0, "healthCheckIntervalMs", 1, 2 ** 31 - 1);
    this.concurrency = integerOption(options.healthCheckConcurrency, 8, "healthCheckConcurrency", 1, 65536);
    this.onHealthChange = options.onHealthChange;
    this.onError = options.onError;
    const empty = Backends.empty<E>();
    this.snap = new Snapshot(empty, buildSelection(this.algorithm, empty.list, this.context), []);
    if (this.discovery instanceof StaticDiscovery) this.apply(this.discovery.backends as Backends<E>);
  }

  /**
   * A load balancer over a fixed list of backends (pingora's `try_from_iter`), ready to
   * select at once. With `options.discovery`, the list is the starting set and discovery
   * replaces it from then on.
   * @throws {@link LbError} `ZP_LB_INVALID_BACKEND` for an invalid backend.
   */
  static fromBackends<E = unknown>(backends: Iterable<BackendLike<E>>, options: LoadBalancerOptions<E> = {}): LoadBalancer<E> {
    const list = Backends.from(backends);
    const lb = new LoadBalancer<E>({ ...options, discovery: options.discovery ?? new StaticDiscovery<E>(list) });
    lb.apply(list);
    return lb;
  }

  /** The current backend set. */
  get backends(): Backends<E> {
    return this.snap.backends;
  }

  /** The current selection (a new object after each change of the set, the same one otherwise). */
  get selection(): Selection<E> {
    return this.snap.selection;
  }

  /** Whether the background runner is started. */
  get running(): boolean {
    return this.runner.running;
  }

  /** Background timers pending plus rounds in progress: 0 once `stop()` has resolved. */
  get backgroundTasks(): number {
    return this.runner.pending;
  }

  /**
   * The first usable backend along the algorithm's walk for `key`: enabled, healthy by the
   * active checks and not ejected (an expired ejection hands out one half-open trial), within
   * `maxIterations` steps of the walk. When nothing is usable, `fail_open` selects again
   * ignoring health (still skipping disabled backends) and `fail_closed` returns `undefined`.
   * Allocates nothing.
   * @param key What hash-based algorithms (`fnv`, `ketama`) select by; others ignore it.
   */
  select(key?: SelectionKey, maxIterations: number = this.maxIterations): Backend<E> | undefined {
    const snap = this.snap;
    const walk = snap.busy ? new UniqueIterator(snap.selection) : snap.walk;
    const states = snap.states;
    walk.restart(key, maxIterations);
    for (let i = walk.nextIndex(); i >= 0; i = walk.nextIndex()) {
      const s = states[i]!;
      if (s.enabled && s.healthy && (s.ejectedUntil === 0 || s.takeTrial(this.clock(), this.trialTimeoutMs))) return snap.list[i];
    }
    return this.failOpen ? this.selectIgnoringHealth(snap, walk, key, maxIterations) : undefined;
  }

  /**
   * pingora's `select_with`: walks like {@link LoadBalancer.select} and returns the first
   * backend `accept(backend, usable)` takes, where `usable` is what `select` would decide.
   * No all-down policy applies: `accept` decides.
   */
  selectWith(key: SelectionKey, maxIterations: number, accept: (backend: Backend<E>, usable: boolean) => boolean): Backend<E> | undefined {
    const snap = this.snap;
    const nested = snap.busy;
    const walk = nested ? new UniqueIterator(snap.selection) : snap.walk;
    snap.busy = true;
    try {
      walk.restart(key, maxIterations);
      for (let i = walk.nextIndex(); i >= 0; i = walk.nextIndex()) {
        const s = snap.states[i]!;
        const now = s.ejectedUntil === 0 ? 0 : this.clock();
        const usable = s.usable(now, this.trialTimeoutMs);
        if (accept(snap.list[i]!, usable)) {
          if (usable && s.ejectedUntil !== 0) s.takeTrial(now, this.trialTimeoutMs);
          return snap.list[i];
        }
      }
      return undefined;
    } finally {
      if (!nested) snap.busy = false;
    }
  }

  private selectIgnoringHealth(snap: Snapshot<E>, walk: UniqueIterator<E>, key: SelectionKey, maxIterations: number): Backend<E> | undefined {
    const states = snap.states;
    const now = this.clock();
    for (const s of states) if (s.usable(now, this.trialTimeoutMs)) return undefined;
    walk.restart(key, maxIterations);
    for (let i = walk.nextIndex(); i >= 0; i = walk.nextIndex()) if (states[i]!.enabled) return snap.list[i];
    return undefined;
  }

  /** Whether `select()` could choose `backend` now (false for a backend not in the set). */
  ready(backend: Backend<unknown>): boolean {
    const s = this.stateOf(backend);
    return s !== undefined && s.usable(this.clock(), this.trialTimeoutMs);
  }

  /** The health of `backend`, or `undefined` when it is not in the set. */
  health(backend: Backend<unknown>): BackendHealth | undefined {
    const s = this.stateOf(backend);
    if (s === undefined) return undefined;
    return { healthy: s.healthy, enabled: s.enabled, ejected: s.ejectedUntil !== 0, ready: s.usable(this.clock(), this.trialTimeoutMs) };
  }

  /**
   * Takes a backend out of selection (or puts it back) without touching its health, e.g. to
   * drain it (pingora's `set_enable`). Applies to its endpoint; no-op when unknown.
   */
  setEnabled(backend: Backend<unknown> | string, enabled: boolean): void {
    const s = this.stateOf(typeof backend === "string" ? Backend.parse(backend) : backend);
    if (s !== undefined) s.enabled = enabled;
  }

  /** A request to `backend` starts: one more in flight for `least_conn`/`p2c`. */
  onStart(backend: Backend<unknown>): void {
    this.tracker?.start(backend);
  }

  /** A request to `backend` ended. */
  onEnd(backend: Backend<unknown>): void {
    this.tracker?.end(backend);
  }

  /**
   * The proxy failed to use `backend` (connect error, timeout, 5xx as it sees fit). After
   * `failureThreshold` consecutive failures it is ejected for a backoff that doubles with each
   * ejection in a row; when that ends, one trial request may go to it: a success brings it
   * back, a failure ejects it again for longer.
   */
  reportFailure(backend: Backend<unknown>, error?: unknown): void {
    if (this.passive === undefined) return;
    const s = this.stateOf(backend);
    if (s === undefined) return;
    const outcome = s.fail(this.clock(), this.passive, this.random);
    if (outcome === "ejected" && s.healthy) this.notify(s, false, "passive_ejection", error);
  }

  /** The proxy used `backend` successfully: resets its failure count, ends a half-open ejection. */
  reportSuccess(backend: Backend<unknown>): void {
    if (this.passive === undefined) return;
    const s = this.stateOf(backend);
    if (s === undefined) return;
    // the clock matters only to end an ejection: most successes need no clock read
    if (s.succeed(s.ejectedUntil === 0 ? 0 : this.clock()) === "recovered" && s.healthy) this.notify(s, true, "passive_recovery");
  }

  /**
   * Replaces the backend set. The selection is rebuilt only when the identities changed;
   * `enabled` (by `hashKey`) sets enablement either way. Returns whether the set changed.
   * With a {@link StaticDiscovery}, it is updated too, so later rounds keep the change.
   */
  setBackends(backends: Iterable<BackendLike<E>>, enabled?: ReadonlyMap<string, boolean>): boolean {
    const next = Backends.from(backends);
    if (this.discovery instanceof StaticDiscovery) this.discovery.set(next);
    return this.apply(next, enabled);
  }

  /** Adds a backend; returns whether the set changed. */
  add(backend: BackendLike<E>): boolean {
    return this.setBackends(this.snap.backends.add(backend));
  }

  /** Removes a backend, or every backend at an `"ip:port"` endpoint; returns whether the set changed. */
  remove(target: Backend<unknown> | string): boolean {
    return this.setBackends(this.snap.backends.remove(target));
  }

  /** Gives the backends at `target`'s endpoint a new weight (health is kept); returns whether the set changed. */
  reweight(target: Backend<unknown> | string, weight: number): boolean {
    return this.setBackends(this.snap.backends.reweight(target, weight));
  }

  /**
   * One discovery round (pingora's `update`): applies what discovery found and resolves to
   * whether the set changed. Concurrent calls share one round.
   * @throws the discovery's error (a `ZpError`); the current set is kept.
   */
  update(signal?: AbortSignal): Promise<boolean> {
    this.updating ??= this.discoverOnce(signal).finally(() => (this.updating = undefined));
    return this.updating;
  }

  private async discoverOnce(signal: AbortSignal | undefined): Promise<boolean> {
    let next: Backends<E>;
    let enabled: ReadonlyMap<string, boolean> | undefined;
    try {
      const result = await this.discovery.discover(signal);
      next = Backends.from(result.backends);
      enabled = result.enabled;
    } catch (err) {
      throw ZpError.wrap(err, LbErrorType.DiscoveryFailed, "discovering backends");
    }
    if (signal?.aborted) return false;
    return this.apply(next, enabled);
  }

  /**
   * One round of active health checks over every endpoint of the current set, at most
   * `healthCheckConcurrency` at once; resolves when all are done. Each result feeds the
   * endpoint's consecutive counter, flipping its health at the check's thresholds. No-op
   * without a health check; concurrent calls share one round.
   */
  runHealthChecks(signal?: AbortSignal): Promise<void> {
    const check = this.healthCheck;
    if (check === undefined) return Promise.resolve();
    this.checking ??= this.checkOnce(check, signal).finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(check: HealthCheck, signal: AbortSignal | undefined): Promise<void> {
    const states = [...new Set(this.snap.states)];
    const never = new AbortController().signal;
    await runLimited(states, this.concurrency, async (state) => {
      let error: unknown;
      try {
        await check.check(state.backend, signal ?? never);
      } catch (err) {
        error = err ?? new Error("health check failed");
      }
      if (signal?.aborted || this.states.get(state.backend.endpoint) !== state) return;
      const ok = error === undefined;
      const flipped = state.observe(ok, ok ? check.consecutiveSuccess : check.consecutiveFailure);
      if (flipped && state.ejectedUntil === 0) this.notify(state, ok, "active_check", error);
    });
  }

  /**
   * Starts the background runner: a discovery round, then a health check round, then each
   * again every `discoveryIntervalMs` / `healthCheckIntervalMs` (once only when unset).
   * Resolves when the first round is done. Timers are unref'd.
   */
  start(): Promise<void> {
    const discover = async (signal: AbortSignal): Promise<void> => {
      try {
        await this.update(signal);
      } catch (err) {
        if (!signal.aborted) this.onError?.(ZpError.wrap(err, LbErrorType.DiscoveryFailed));
      }
    };
    const check = (signal: AbortSignal): Promise<void> => this.runHealthChecks(signal);
    return this.runner.start(
      async (signal) => {
        await discover(signal);
        if (!signal.aborted) await check(signal);
      },
      [
        { intervalMs: this.discoveryIntervalMs, run: discover },
        { intervalMs: this.healthCheckIntervalMs, run: check },
      ],
      () => new LbError(LbErrorType.Stopped, "the load balancer stopped"),
    );
  }

  /** Stops the background runner: aborts checks and discovery in progress, waits for them, clears every timer. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  private stateOf(backend: Backend<unknown>): EndpointHealth<E> | undefined {
    return this.states.get(backend.endpoint);
  }

  private notify(state: EndpointHealth<E>, healthy: boolean, reason: HealthChangeReason, cause?: unknown): void {
    this.onHealthChange?.(state.backend, healthy, reason, cause);
  }

  /** Swaps in a snapshot for `next` when its identities differ; applies enablement. */
  private apply(next: Backends<E>, enabled?: ReadonlyMap<string, boolean>): boolean {
    const current = this.snap;
    let changed = false;
    if (!next.equals(current.backends)) {
      const selection = buildSelection(this.algorithm, next.list, this.context);
      const states = next.list.map((b) => this.states.get(b.endpoint) ?? new EndpointHealth<E>(b, this.startHealthy));
      const live = new Set<string>();
      next.list.forEach((b, i) => {
        states[i]!.backend = b;
        this.states.set(b.endpoint, states[i]!);
        live.add(b.endpoint);
      });
      for (const endpoint of this.states.keys()) if (!live.has(endpoint)) this.states.delete(endpoint);
      this.snap = new Snapshot(next, selection, states);
      changed = true;
    }
    if (enabled !== undefined) {
      for (const [hashKey, on] of enabled) {
        const b = next.get(hashKey);
        const s = b === undefined ? undefined : this.states.get(b.endpoint);
        if (s !== undefined) s.enabled = on;
      }
    }
    return changed;
  }
}
