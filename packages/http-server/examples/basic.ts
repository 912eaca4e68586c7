import { HttpServer } from "@zp/http-server";

// A server that greets, echoes uploads and streams a chunked response.
const server = new HttpServer({ serverName: "zingora", maxBodySize: 1024 * 1024 }, async (req, res) => {
  if (req.method === "POST") {
    const body = await req.readBody(); // 413 on its own past the limit
    res.writeHead(200, { "Content-Type": "application/octet-stream" });
    res.end(body);
    return;
  }
  if (req.url === "/stream") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    for (const word of ["chunked ", "without ", "a length\n"]) res.write(word); // Transfer-Encoding: chunked
    res.end();
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end(`Hello from ${req.method} ${req.target.path}\n`); // head and body leave in one write
});

const { port } = await server.listen(0, "127.0.0.1");

const hello = await fetch(`http://127.0.0.1:${port}/hello?x=1`);
console.log(hello.status, hello.headers.get("content-length"), await hello.text());

const echo = await fetch(`http://127.0.0.1:${port}/echo`, { method: "POST", body: "ping" });
console.log(echo.status, await echo.text());

const stream = await fetch(`http://127.0.0.1:${port}/stream`);
console.log(stream.headers.get("transfer-encoding"), await stream.text());

await server.close(); // graceful: idle keep-alive connections close at once
console.log("closed");
