import { AccessLog } from "@zp/proxy";
import type { AccessLogConfig } from "../config/proxy-config.js";

/** The access log a configuration asks for: none, stdout, or a file appended to. */
export function openAccessLog(config: AccessLogConfig, onError: (err: Error) => void): AccessLog | undefined {
  switch (config.kind) {
    case "off":
      return undefined;
    case "stdout":
      return new AccessLog({ destination: process.stdout, autoClose: false, onError });
    case "file":
      return new AccessLog({ destination: config.path, onError });
  }
}
