import { execFile } from "node:child_process";

/** What curl saw: status, lower-cased header fields (last value wins) and body. */
export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs curl with `args` (the response head is parsed from `-i`). */
export function curl(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-sS", "-i", "--max-time", "10", ...args], { encoding: "latin1", maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err !== null) {
        reject(new Error(`curl ${args.join(" ")} failed: ${stderr || err.message}`));
        return;
      }
      // Skip interim (1xx) heads.
      let text = stdout;
      let split = text.indexOf("\r\n\r\n");
      while (/^HTTP\/[\d.]+ 1\d\d/.test(text) && split >= 0) {
        text = text.slice(split + 4);
        split = text.indexOf("\r\n\r\n");
      }
      const head = text.slice(0, split).split("\r\n");
      const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers, body: text.slice(split + 4) });
    });
  });
}
