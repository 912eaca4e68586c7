// A hello-world server for the http-server benchmark, run in its own process so the
// benchmark can pin it to one CPU and read its CPU time. Usage: hello-server.ts <ours|node> <port>
import { createServer } from "node:http";
import { HttpServer } from "@zp/http-server";

const BODY = "Hello, World!";
// The same fields for every contender; each adds its own Date/Connection fields.
const HEADERS = { "Content-Type": "text/plain", "Content-Length": "13" };

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);

if (kind === "ours") {
  const server = new HttpServer({}, (req, res) => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
  await server.listen(port, "127.0.0.1");
} else if (kind === "node") {
  const server = createServer((req, res) => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
} else {
  throw new Error(`unknown server kind ${kind}`);
}
console.log(`listening ${port}`);
// exit through process.exit so `--cpu-prof` can write its profile
process.once("SIGTERM", () => process.exit(0));
process.once("SIGINT", () => process.exit(0));
