// The parts of the `ws` package the tests use (the package ships no types of its own).
declare module "ws" {
  import type { EventEmitter } from "node:events";
  import type { IncomingMessage, Server } from "node:http";

  type RawData = Buffer | ArrayBuffer | Buffer[];

  export class WebSocket extends EventEmitter {
    constructor(address: string);
    send(data: string | Buffer | RawData, options?: { binary?: boolean }): void;
    close(code?: number): void;
    terminate(): void;
    on(event: "message", listener: (data: RawData, isBinary: boolean) => void): this;
    on(event: string, listener: (...args: never[]) => void): this;
    once(event: "message", listener: (data: RawData, isBinary: boolean) => void): this;
    once(event: "error", listener: (err: Error) => void): this;
    once(event: string, listener: (...args: never[]) => void): this;
  }

  export class WebSocketServer extends EventEmitter {
    constructor(options: { server: Server });
    readonly clients: Set<WebSocket>;
    close(): void;
    on(event: "connection", listener: (ws: WebSocket, req: IncomingMessage) => void): this;
  }
}
