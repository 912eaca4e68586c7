/** A clock the test moves by hand, in milliseconds. */
export class ManualClock {
  time = 0;
  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}
