// One request through a pooled connection, then a 1 s timer that does not hold the process
// itself: whether "held" is printed shows whether the idle connection kept the process alive.
// Usage: idle-pooled.ts <port> <unrefIdle: true|false>
import { HttpClient } from "@zp/http-client";

const port = Number(process.argv[2]);
const client = new HttpClient({ unrefIdle: process.argv[3] !== "false" });
const res = await client.request(`http://127.0.0.1:${port}/`);
await res.body.text();
console.log(`done ${client.connector.stats().idle}`);
setTimeout(() => {
  console.log("held");
  client.close(); // with nothing else left, the process exits
}, 1000).unref();
