import { lookup } from "node:dns/promises";
import { lstatSync, renameSync, rmSync } from "node:fs";
import { connect, isIP } from "node:net";
import { basename, dirname, join } from "node:path";
import { ErrorType, ZpError } from "@zp/error";
import type { ListenerSpec } from "../service.js";
import type { Listener } from "./listener.js";
import { bindTcpHandle, bindUnixHandle } from "./raw-handle.js";

/** Whether something accepts connections on the Unix socket at `path`. */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

async function bindUnix(key: string, path: string): Promise<Listener> {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing !== undefined) {
    if (!existing.isSocket()) throw ZpError.explain(ErrorType.BindError, `binding unix:${path}: the path exists and is not a socket`);
    if (await socketAnswers(path)) throw ZpError.explain(ErrorType.BindError, `binding unix:${path}: another process is listening on it (EADDRINUSE)`);
  }
  // Bind under a temporary name and rename it into place. This replaces a stale socket file
  // atomically, and Node records the temporary name as the one to unlink on close, so closing
  // our descriptor (as the old process does after an upgrade) never removes the path the
  // successor still serves. The final path is unlinked by the runtime at a real shutdown.
  const tmp = join(dirname(path), `.${basename(path).slice(0, 16)}.${process.pid}.${Date.now() % 100_000}`);
  rmSync(tmp, { force: true });
  const handle = bindUnixHandle(tmp);
  try {
    renameSync(tmp, path);
  } catch (err) {
    handle.close();
    throw ZpError.because(ErrorType.BindError, `binding unix:${path}`, err);
  }
  return { key, handle, bound: { kind: "unix", path }, ino: lstatSync(path).ino };
}

async function bindTcp(key: string, address: string, port: number): Promise<Listener> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw ZpError.explain(ErrorType.BindError, `binding ${address}:${port}: the port must be an integer in 0..65535`);
  let ip = address;
  let family = isIP(address);
  if (family === 0) {
    try {
      const found = await lookup(address);
      ip = found.address;
      family = found.family;
    } catch (err) {
      throw ZpError.because(ErrorType.BindError, `resolving listener address ${address}`, err);
    }
  }
  const handle = bindTcpHandle(ip, port, family === 6 ? 6 : 4);
  const out: Record<string, unknown> = {};
  handle.getsockname?.(out);
  const bound = { kind: "tcp" as const, address: String(out.address ?? ip), port: Number(out.port ?? port), family: String(out.family ?? (family === 6 ? "IPv6" : "IPv4")) };
  return { key, handle, bound, ino: null };
}

/** Binds (without listening) the socket for one declared listener. Throws a `BindError` ZpError. */
export function bindListener(key: string, spec: ListenerSpec): Promise<Listener> {
  return "path" in spec ? bindUnix(key, spec.path) : bindTcp(key, spec.address, spec.port);
}
