/** A hand-driven clock for tests: `clock.now` reads it, `clock.advance(ms)` moves it. */
export class FakeClock {
  private ms: number;

  constructor(start = 0) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }
}
