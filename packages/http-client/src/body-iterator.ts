import { BodyIterator as BaseBodyIterator, type HeaderMap, type PausableBody as BasePausableBody } from "@zp/http";

/** What a {@link BodyIterator} needs from its connection. */
export interface PausableBody extends BasePausableBody {
  destroy(): void;
  release(): boolean;
}

/**
 * A response body as an async iterator of Buffers (see @zp/http's `BodyIterator`: the
 * connection is paused while more than 64 KiB wait for the consumer). Stopping early
 * (`break`) closes the connection: the rest of the body is never read.
 */
export class BodyIterator extends BaseBodyIterator {
  /** The trailer fields, once the body ended. */
  trailers: HeaderMap | undefined = undefined;
  private readonly connection: PausableBody;
  private readonly releaseAtEnd: boolean;

  /**
   * @param body The connection whose body to read (its head must have been read).
   * @param releaseAtEnd Release the connection (back to its pool) once the body ended.
   */
  constructor(body: PausableBody, releaseAtEnd = false) {
    super(body);
    this.connection = body;
    this.releaseAtEnd = releaseAtEnd;
  }

  protected override bodyEnded(trailers: HeaderMap | undefined): void {
    this.trailers = trailers;
    if (this.releaseAtEnd) this.connection.release();
  }

  protected override stoppedEarly(): void {
    this.connection.destroy();
  }
}
