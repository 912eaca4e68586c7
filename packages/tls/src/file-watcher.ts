import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";

/** How certificate files are watched for changes. */
export interface WatchOptions {
  /** Wait this long after the last change before reloading, so cert and key written one after the other reload once (default 200 ms). */
  debounceMs?: number;
  /** Also check size/mtime/inode every this many ms; `0` turns polling off (default 5000 ms). Catches changes `fs.watch` misses (network filesystems, some containers). */
  pollIntervalMs?: number;
  /** Use `fs.watch` on the files' directories (default true). */
  fsEvents?: boolean;
}

/**
 * Calls `onChange` (debounced) when any of `files` may have changed. It watches the
 * directories rather than the files, so a file replaced by rename (the atomic way to
 * update certificates, also what Kubernetes secret mounts do) is still seen; polling
 * compares size, mtime and inode. Watchers and timers never keep the process alive.
 */
export class FileWatcher {
  readonly #files: string[];
  readonly #onChange: () => void;
  readonly #debounceMs: number;
  readonly #watchers: FSWatcher[] = [];
  readonly #signatures = new Map<string, string>();
  #debounce: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;

  constructor(files: readonly string[], onChange: () => void, options: WatchOptions = {}) {
    this.#files = [...new Set(files.map((f) => resolve(f)))];
    this.#onChange = onChange;
    this.#debounceMs = options.debounceMs ?? 200;
    if (options.fsEvents ?? true) this.#watchDirectories();
    const pollIntervalMs = options.pollIntervalMs ?? 5000;
    if (pollIntervalMs > 0) {
      this.#poll = setInterval(() => void this.#checkPoll(), pollIntervalMs);
      this.#poll.unref();
      void this.#checkPoll(); // records the starting signatures
    }
  }

  /** Stops watching. */
  close(): void {
    this.#closed = true;
    for (const w of this.#watchers) w.close();
    this.#watchers.length = 0;
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    if (this.#poll !== undefined) clearInterval(this.#poll);
  }

  #watchDirectories(): void {
    const byDir = new Map<string, Set<string>>();
    for (const file of this.#files) {
      const dir = dirname(file);
      let names = byDir.get(dir);
      if (names === undefined) byDir.set(dir, (names = new Set()));
      names.add(basename(file));
    }
    for (const [dir, names] of byDir) {
      try {
        const watcher = watch(dir, { persistent: false }, (_event, filename) => {
          // Some platforms give no filename; then any change in the directory counts.
          if (filename === null || names.has(filename.toString())) this.#schedule();
        });
        watcher.on("error", () => watcher.close());
        this.#watchers.push(watcher);
      } catch {
        // The directory cannot be watched (missing, unsupported fs): polling still works.
      }
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      if (!this.#closed) this.#onChange();
    }, this.#debounceMs);
    this.#debounce.unref();
  }

  async #checkPoll(): Promise<void> {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    try {
      if (await this.#snapshot()) this.#schedule();
    } finally {
      this.#polling = false;
    }
  }

  /** Records each file's signature; returns whether any differs from the last snapshot. */
  async #snapshot(): Promise<boolean> {
    let changed = false;
    for (const file of this.#files) {
      let signature: string;
      try {
        const s = await stat(file);
        signature = `${s.size}:${s.mtimeMs}:${s.ino}`;
      } catch {
        signature = "missing";
      }
      if (this.#signatures.has(file) && this.#signatures.get(file) !== signature) changed = true;
      this.#signatures.set(file, signature);
    }
    return changed;
  }
}
