import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";

/**
 * Writes `pid` to `path` atomically (a temporary file renamed over it), so a reader never
 * sees a half-written file.
 */
export function writePidFile(path: string, pid: number = process.pid): void {
  const tmp = `${path}.${pid}.tmp`;
  writeFileSync(tmp, `${pid}\n`);
  renameSync(tmp, path);
}

/** The pid in `path`, or `null` if the file is missing or holds no pid. */
export function readPidFile(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Removes `path` if it still holds `pid`. After an upgrade the successor has rewritten it
 * with its own pid, and then it is left alone.
 */
export function removePidFileIfOwned(path: string, pid: number = process.pid): boolean {
  if (readPidFile(path) !== pid) return false;
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
