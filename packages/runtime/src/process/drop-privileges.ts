import { chownSync, existsSync, readFileSync } from "node:fs";
import { ErrorType, ZpError } from "@zp/error";

/** The POSIX identity calls of `process` (absent on Windows). */
interface PosixIdentity {
  getuid(): number;
  getgid(): number;
  geteuid(): number;
  seteuid(id: string | number): void;
  setuid(id: string | number): void;
  setgid(id: string | number): void;
  initgroups(user: string | number, extraGroup: string | number): void;
}

function posix(): PosixIdentity {
  if (typeof process.setuid !== "function") throw ZpError.explain(ErrorType.InternalError, "switching user or group needs a POSIX system");
  return process as unknown as PosixIdentity;
}

/** A user or group as written in the configuration: a name, or a numeric id. */
function id(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The numeric uid of `user`, looked up by switching the effective uid for a moment (root only). */
function lookupUid(p: PosixIdentity, user: string | number): number {
  if (typeof user === "number") return user;
  p.seteuid(user);
  const uid = p.geteuid();
  p.seteuid(0);
  return uid;
}

/** The primary gid of `user` from /etc/passwd, used when no group is configured. */
function primaryGid(user: string | number): number {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 4 && (fields[0] === String(user) || fields[2] === String(user))) return Number(fields[3]);
  }
  throw new Error(`the primary group of user "${user}" is not in /etc/passwd; set group`);
}

/**
 * Switches this process to `group` and then `user` (Pingora does so after daemonizing). Called
 * after the listeners are bound, so privileged ports work, and before the pid file is written,
 * so it belongs to the new user. `ownFiles` (the error log) are handed to the new user first.
 * Processes started afterwards (workers, a successor) inherit the identity. Without `group`,
 * the user's primary group is used.
 */
export function dropPrivileges(user: string | null, group: string | null, ownFiles: readonly string[]): void {
  if (user === null && group === null) return;
  const p = posix();
  const root = p.getuid() === 0;
  try {
    if (group !== null) p.setgid(id(group));
    else if (user !== null && root) p.setgid(primaryGid(id(user)));
    if (user !== null) {
      const target = id(user);
      if (root) {
        const uid = lookupUid(p, target);
        // Supplementary groups: the user's own, never root's.
        p.initgroups(target, p.getgid());
        for (const file of ownFiles) if (existsSync(file)) chownSync(file, uid, p.getgid());
        p.setuid(uid);
      } else {
        p.setuid(target);
      }
    }
  } catch (err) {
    const who = [user === null ? undefined : `user "${user}"`, group === null ? undefined : `group "${group}"`].filter(Boolean).join(" and ");
    const hint = root ? "" : ` (switching needs root; running as uid ${p.getuid()})`;
    throw ZpError.because(ErrorType.InternalError, `switching to ${who}${hint}`, err);
  }
}
