import http from "node:http";
import { HttpClient } from "@zp/http-client";
import { Pool } from "undici";

/** One client under measurement: `once()` sends a GET and reads the whole body. */
export interface ClientContender {
  name: string;
  once: () => Promise<unknown>;
  close: () => Promise<void>;
}

/** Ours: HttpClient.request with origin + path, the body read as text. */
export function ours(port: number): ClientContender {
  const client = new HttpClient();
  const origin = `http://127.0.0.1:${port}`;
  const options = { origin, path: "/" };
  return {
    name: "@zp/http-client",
    once: async () => (await client.request(options)).body.text(),
    close: async () => client.close(),
  };
}

/** undici's Pool.request (keep-alive, no pipelining), the body read as text. */
export function undiciPool(port: number, connections: number): ClientContender {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
  const options = { path: "/", method: "GET" as const };
  return {
    name: "undici Pool",
    once: async () => (await pool.request(options)).body.text(),
    close: () => pool.close(),
  };
}

/** node:http with a keep-alive Agent, the body read as text. */
export function nodeHttp(port: number, connections: number): ClientContender {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const options: http.RequestOptions = { host: "127.0.0.1", port, path: "/", method: "GET", agent };
  return {
    name: "node:http Agent",
    once: () =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(options, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve(text));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end();
      }),
    close: async () => agent.destroy(),
  };
}

/** Requests per second, and this process's CPU time (user + system) per request. */
export interface Measurement {
  reqPerSec: number;
  cpuUsPerReq: number;
}

/** Runs `inFlight` request loops for `ms`; returns the completed requests per second and the CPU each cost. */
export async function measure(c: ClientContender, inFlight: number, ms: number): Promise<Measurement> {
  let done = 0;
  let stop = false;
  const loop = async (): Promise<void> => {
    while (!stop) {
      await c.once();
      done++;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loops = Array.from({ length: inFlight }, loop);
  await new Promise((r) => setTimeout(r, ms));
  stop = true;
  await Promise.all(loops);
  const used = process.cpuUsage(cpu);
  return { reqPerSec: (done * 1000) / (performance.now() - started), cpuUsPerReq: (used.user + used.system) / done };
}
