// The part of http-proxy's API the benchmark uses (the package ships no types).
declare module "http-proxy" {
  import type { Agent, IncomingMessage, ServerResponse } from "node:http";
  import type { Socket } from "node:net";

  interface ProxyServer {
    web(req: IncomingMessage, res: ServerResponse): void;
    on(event: "error", listener: (err: Error, req: IncomingMessage, res: ServerResponse | Socket) => void): void;
  }
  const httpProxy: {
    createProxyServer(options: { target: string; agent: Agent; xfwd: boolean }): ProxyServer;
  };
  export default httpProxy;
}
