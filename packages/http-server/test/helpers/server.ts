import { HttpServer, type HttpServerOptions, type RequestHandler } from "@zp/http-server";

/** A server listening on a free loopback port. */
export interface Running {
  server: HttpServer;
  port: number;
  url: string;
}

const open: HttpServer[] = [];

/** Starts a server on 127.0.0.1 and remembers it for {@link closeAll}. */
export async function start(options: HttpServerOptions, handler: RequestHandler): Promise<Running> {
  const server = new HttpServer(options, handler);
  const { port } = await server.listen(0, "127.0.0.1");
  open.push(server);
  return { server, port, url: `http://127.0.0.1:${port}` };
}

/** Closes every server started by {@link start} (use in afterEach). */
export async function closeAll(): Promise<void> {
  const servers = open.splice(0);
  await Promise.all(servers.map((s) => s.close(100)));
}
