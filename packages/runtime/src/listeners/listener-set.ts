import { lstatSync, unlinkSync } from "node:fs";
import type { ErrorLog } from "../process/error-log.js";
import { bindListener } from "./bind-listener.js";
import type { Listener, WantedListener } from "./listener.js";

/**
 * The listening sockets of this process, by key. A handle is either still held here (the
 * primary, or one not yet given to a service) or adopted by a `net.Server`, which then owns
 * and closes it.
 */
export class ListenerSet {
  private readonly byKey = new Map<string, Listener>();
  private readonly adopted = new Set<string>();
  private readonly closed = new Set<string>();

  /** Adds a listener received from another process or bound here. */
  add(listener: Listener): void {
    this.byKey.set(listener.key, listener);
  }

  /** The listener with this key. */
  get(key: string): Listener | undefined {
    return this.byKey.get(key);
  }

  /** All listeners, in insertion order. */
  all(): Listener[] {
    return [...this.byKey.values()];
  }

  /** Binds every wanted listener not already present (e.g. not handed over by the old process). */
  async bindMissing(wanted: readonly WantedListener[]): Promise<void> {
    for (const w of wanted) {
      if (!this.byKey.has(w.key)) this.add(await bindListener(w.key, w.spec));
    }
  }

  /** Closes listeners nobody declared any more (handed over by an old process with other services). */
  closeUnwanted(wanted: readonly WantedListener[], log: ErrorLog): void {
    const keys = new Set(wanted.map((w) => w.key));
    for (const l of this.byKey.values()) {
      if (keys.has(l.key)) continue;
      log.info(`closing listener ${l.key}: no service declares it any more`);
      this.closeOne(l);
      this.byKey.delete(l.key);
    }
  }

  /** Marks a listener as owned by a `net.Server` from now on. */
  adopt(key: string): void {
    this.adopted.add(key);
  }

  /** Closes this process's descriptors that no `net.Server` owns. */
  closeHeld(): void {
    for (const l of this.byKey.values()) if (!this.adopted.has(l.key)) this.closeOne(l);
  }

  /** Removes the Unix socket files this server created, if they are still ours. */
  unlinkSocketFiles(log: ErrorLog): void {
    for (const l of this.byKey.values()) {
      if (l.bound.kind !== "unix" || l.ino === null) continue;
      try {
        if (lstatSync(l.bound.path, { throwIfNoEntry: false })?.ino === l.ino) unlinkSync(l.bound.path);
      } catch (err) {
        log.warn(`cannot remove socket file ${l.bound.path}`, err);
      }
    }
  }

  private closeOne(l: Listener): void {
    if (this.closed.has(l.key)) return;
    this.closed.add(l.key);
    l.handle.close();
  }
}
