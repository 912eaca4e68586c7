// A request body as an async iterator: the shared iterator of @zp/http; stopping early
// drops the rest of the body (the connection reads and discards it).
export { BodyIterator } from "@zp/http";
