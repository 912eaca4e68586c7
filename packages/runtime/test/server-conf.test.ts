import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SERVER_CONF, type ServerConf, ServerConfError, loadServerConf, parseServerConf, validateServerConf } from "../src/index.js";
import { cleanUp, tempDir, writeConf } from "./helpers/server-process.js";

afterEach(() => cleanUp());

function issuesOf(text: string): string[] {
  try {
    parseServerConf(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerConfError);
    return (err as ServerConfError).message.split("\n").slice(1).map((l) => l.trim());
  }
  throw new Error("expected the configuration to be rejected");
}

describe("server configuration", () => {
  it("fills Pingora's defaults for an empty or minimal file", () => {
    expect(parseServerConf("")).toEqual({ ...DEFAULT_SERVER_CONF, extensions: {} });
    const conf = parseServerConf("---\nversion: 1\n");
    expect(conf.threads).toBe(1);
    expect(conf.pid_file).toBe("/tmp/zingora.pid");
    expect(conf.upgrade_sock).toBe("/tmp/zingora_upgrade.sock");
    expect(conf.grace_period_seconds).toBe(300);
    expect(conf.graceful_shutdown_timeout_seconds).toBe(5);
    expect(conf.upstream_keepalive_pool_size).toBe(128);
    expect(conf.max_retries).toBe(16);
    expect(conf.work_stealing).toBe(true);
    expect(conf.error_log).toBeNull();
    expect(conf.client_bind_to_ipv4).toEqual([]);
  });

  it("loads every key of a full file", () => {
    const dir = tempDir();
    const file = writeConf(
      dir,
      `---
version: 1
threads: 4
pid_file: /run/zp.pid
upgrade_sock: /run/zp_upgrade.sock
user: nobody
group: webusers
daemon: true
error_log: /var/log/zp/error.log
grace_period_seconds: 30
graceful_shutdown_timeout_seconds: 3
listener_tasks_per_fd: 2
work_stealing: false
ca_file: /etc/ssl/ca.pem
client_bind_to_ipv4: [1.2.3.4, 5.6.7.8]
client_bind_to_ipv6: ["2001:db8::1"]
upstream_keepalive_pool_size: 0
upstream_connect_offload_threadpools: 2
upstream_connect_offload_thread_per_pool: 8
upstream_debug_ssl_keylog: true
max_retries: 3
`,
    );
    const expected: ServerConf = {
      version: 1,
      threads: 4,
      pid_file: "/run/zp.pid",
      upgrade_sock: "/run/zp_upgrade.sock",
      user: "nobody",
      group: "webusers",
      daemon: true,
      error_log: "/var/log/zp/error.log",
      grace_period_seconds: 30,
      graceful_shutdown_timeout_seconds: 3,
      listener_tasks_per_fd: 2,
      work_stealing: false,
      ca_file: "/etc/ssl/ca.pem",
      client_bind_to_ipv4: ["1.2.3.4", "5.6.7.8"],
      client_bind_to_ipv6: ["2001:db8::1"],
      upstream_keepalive_pool_size: 0,
      upstream_connect_offload_threadpools: 2,
      upstream_connect_offload_thread_per_pool: 8,
      upstream_debug_ssl_keylog: true,
      max_retries: 3,
    };
    expect(loadServerConf(file)).toEqual({ ...expected, extensions: {} });
  });

  it("accepts null for optional keys", () => {
    const conf = parseServerConf("user: ~\nerror_log:\nupstream_connect_offload_threadpools: null\n");
    expect(conf.user).toBeNull();
    expect(conf.error_log).toBeNull();
    expect(conf.upstream_connect_offload_threadpools).toBeNull();
  });

  it("names the key, the expectation and the value of each bad entry, with its line", () => {
    expect(issuesOf("threads: two\n")).toEqual(['threads: must be a positive integer, got "two" (line 1)']);
    expect(issuesOf("threads: 0\n")).toEqual(["threads: must be a positive integer, got 0 (line 1)"]);
    expect(issuesOf("threads: 1.5\n")).toEqual(["threads: must be a positive integer, got 1.5 (line 1)"]);
    expect(issuesOf("version: 2\n")).toEqual(["version: must be 1 (the only configuration version), got 2 (line 1)"]);
    expect(issuesOf("grace_period_seconds: -1\n")).toEqual(["grace_period_seconds: must be a non-negative integer, got -1 (line 1)"]);
    expect(issuesOf("daemon: yes\n")).toEqual(['daemon: must be true or false, got "yes" (line 1)']);
    expect(issuesOf('pid_file: ""\n')).toEqual(['pid_file: must be a non-empty string, got "" (line 1)']);
    expect(issuesOf("pid_file: 42\n")).toEqual(["pid_file: must be a non-empty string, got 42 (line 1)"]);
    expect(issuesOf("threads:\n")).toEqual(["threads: must be a positive integer, got nothing (line 1)"]);
    expect(issuesOf("client_bind_to_ipv4: 1.2.3.4\n")).toEqual(['client_bind_to_ipv4: must be a list of IPv4 addresses, got "1.2.3.4" (line 1)']);
    expect(issuesOf("client_bind_to_ipv4:\n  - 1.2.3.4\n  - 1.2.3\n")).toEqual(['client_bind_to_ipv4[1]: must be an IPv4 address, got "1.2.3" (line 3)']);
    expect(issuesOf("client_bind_to_ipv6: [1.2.3.4]\n")).toEqual(['client_bind_to_ipv6[0]: must be an IPv6 address, got "1.2.3.4" (line 1)']);
    expect(issuesOf("user: {name: x}\n")).toEqual(["user: must be a non-empty string, got a mapping (line 1)"]);
  });

  it("rejects unknown keys with a suggestion", () => {
    expect(issuesOf("version: 1\nthread: 2\n")).toEqual(['thread: unknown key, did you mean "threads"? (line 2)']);
    expect(issuesOf("grace_period_secs: 3\n")).toEqual(['grace_period_secs: unknown key, did you mean "grace_period_seconds"? (line 1)']);
    expect(issuesOf("completely_unrelated: 3\n")).toEqual(["completely_unrelated: unknown key (line 1)"]);
  });

  it("reports every issue at once, in line order", () => {
    expect(issuesOf("threads: two\nthread: 2\ndaemon: 1\n")).toEqual([
      'threads: must be a positive integer, got "two" (line 1)',
      'thread: unknown key, did you mean "threads"? (line 2)',
      "daemon: must be true or false, got 1 (line 3)",
    ]);
  });

  it("rejects malformed YAML, duplicate keys and non-mapping documents", () => {
    const syntax = (text: string): ServerConfError => {
      try {
        parseServerConf(text);
      } catch (err) {
        return err as ServerConfError;
      }
      throw new Error("accepted");
    };
    expect(syntax("threads: [1, 2\n").code).toBe("ZP_CONF_SYNTAX");
    const dup = syntax("threads: 1\nthreads: 2\n");
    expect(dup.code).toBe("ZP_CONF_SYNTAX");
    expect(dup.issues[0]!.line).toBe(2);
    expect(issuesOf("- threads\n")).toEqual(["(root): must be a mapping of keys, got a list (line 1)"]);
  });

  it("names the file, or fails with ZP_CONF_READ when it cannot be read", () => {
    const dir = tempDir();
    const file = writeConf(dir, "threads: x\n");
    expect(() => loadServerConf(file)).toThrow(`invalid server configuration (${file}):\n  threads: must be a positive integer, got "x" (line 1)`);
    const missing = join(dir, "missing.yaml");
    expect(() => loadServerConf(missing)).toThrow(expect.objectContaining({ code: "ZP_CONF_READ", source: missing }));
  });

  it("lets declared extension sections validate themselves, with paths under the section", () => {
    const proxy = (value: unknown, ctx: { issue(at: (string | number)[] | string, message: string): void }): { port: number } => {
      const section = (value ?? {}) as { listeners?: { port?: unknown }[] };
      const port = section.listeners?.[0]?.port;
      if (typeof port !== "number") ctx.issue(["listeners", 0, "port"], `must be a port number, got ${JSON.stringify(port)}`);
      return { port: port as number };
    };
    const good = parseServerConf("threads: 2\nproxy:\n  listeners:\n    - port: 8080\n", { extensions: { proxy } });
    expect(good.threads).toBe(2);
    expect(good.extensions.proxy).toEqual({ port: 8080 });

    try {
      parseServerConf("proxy:\n  listeners:\n    - port: eighty\nproxi: 1\n", { extensions: { proxy } });
      throw new Error("accepted");
    } catch (err) {
      expect((err as ServerConfError).issues).toEqual([
        { path: ["proxy", "listeners", 0, "port"], message: 'must be a port number, got "eighty"', line: 3 },
        { path: ["proxi"], message: 'unknown key, did you mean "proxy"?', line: 4 },
      ]);
    }
    // An absent section is validated as undefined, so it can be required or defaulted.
    expect(() => parseServerConf("threads: 1\n", { extensions: { proxy } })).toThrow('proxy.listeners[0].port: must be a port number, got undefined');
    // A thrown error becomes an issue at the section.
    expect(() => parseServerConf("cache: 1\n", { extensions: { cache: () => { throw new Error("must be a mapping"); } } })).toThrow("cache: must be a mapping");
    expect(() => validateServerConf({}, { extensions: { threads: () => 1 } })).toThrow(TypeError);
  });

  it("validates objects the same way as files", () => {
    expect(validateServerConf({ threads: 3 }).threads).toBe(3);
    expect(() => validateServerConf({ threads: "3" })).toThrow('threads: must be a positive integer, got "3"');
    expect(() => validateServerConf(null)).not.toThrow();
  });

  it("accepts every positive integer for threads and rejects everything else (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => parseServerConf(`threads: ${n}\n`).threads === n),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.string(), fc.double().filter((d) => !Number.isInteger(d)), fc.boolean(), fc.constant([])), (bad) => {
        try {
          validateServerConf({ threads: bad });
          return false;
        } catch (err) {
          return (err as ServerConfError).issues[0]!.message.startsWith("must be a positive integer, got");
        }
      }),
    );
  });
});
