import { ErrorType, ZpError } from "@zp/error";
import { describe, expect, it } from "vitest";
import { BodyIterator, HeaderMap, type BodySink } from "../src/index.js";

/** A body source that records what the iterator asks of it. */
class Source {
  sink: BodySink | undefined;
  paused = false;
  pauses = 0;
  setBodySink(sink: BodySink): void {
    this.sink = sink;
  }
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
  }
}

describe("BodyIterator", () => {
  it("yields chunks in order, queued or awaited, then ends", async () => {
    const source = new Source();
    const it = new BodyIterator(source);
    source.sink!.onData(Buffer.from("a"));
    const pending = it.next();
    expect((await pending).value?.toString()).toBe("a");
    const waiting = it.next();
    source.sink!.onData(Buffer.from("b"));
    expect((await waiting).value?.toString()).toBe("b");
    source.sink!.onEnd(undefined);
    expect((await it.next()).done).toBe(true);
  });

  it("pauses the source above 64 KiB queued and resumes at half", async () => {
    const source = new Source();
    const it = new BodyIterator(source);
    for (let i = 0; i < 5; i++) source.sink!.onData(Buffer.alloc(16 * 1024));
    expect(source.paused).toBe(true);
    await it.next(); // 64 KiB left: still above half
    await it.next(); // 48 KiB
    expect(source.paused).toBe(true);
    await it.next(); // 32 KiB: resume
    expect(source.paused).toBe(false);
    expect(source.pauses).toBe(1);
  });

  it("rejects the waiting consumer on error and calls the hooks", async () => {
    const source = new Source();
    const seen: string[] = [];
    class Tracking extends BodyIterator {
      protected override bodyEnded(trailers: HeaderMap | undefined): void {
        seen.push(`end ${trailers?.get("x-t") ?? ""}`);
      }
      protected override stoppedEarly(): void {
        seen.push("stopped");
      }
    }
    const failing = new Tracking(source);
    const waiting = failing.next();
    source.sink!.onError(new ZpError(ErrorType.ReadTimeout));
    await expect(waiting).rejects.toMatchObject({ code: "ZP_READ_TIMEOUT" });

    const ending = new Tracking(source);
    const trailers = new HeaderMap();
    trailers.append("X-T", "1");
    source.sink!.onEnd(trailers);
    expect((await ending.next()).done).toBe(true);

    const stopping = new Tracking(source);
    source.sink!.onData(Buffer.from("x"));
    await stopping.return();
    source.sink!.onData(Buffer.from("ignored"));
    expect((await stopping.next()).done).toBe(true);
    expect(seen).toEqual(["end 1", "stopped"]);
  });
});
