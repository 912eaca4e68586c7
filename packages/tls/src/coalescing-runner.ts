/**
 * Runs an async task one at a time and folds concurrent requests together: a request made
 * while the task runs gets one follow-up run (shared by every request made meanwhile), so
 * each caller's result reflects the state at or after its request, and the task never
 * runs twice at once.
 */
export class CoalescingRunner<T> {
  readonly #task: () => Promise<T>;
  #running: Promise<T> | undefined;
  #next: Promise<T> | undefined;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  /** Requests a run; resolves or rejects with the run that serves this request. */
  run(): Promise<T> {
    if (this.#next !== undefined) return this.#next;
    if (this.#running === undefined) return this.#start();
    const next = this.#running.then(
      () => this.#followUp(),
      () => this.#followUp(),
    );
    this.#next = next;
    return next;
  }

  #followUp(): Promise<T> {
    this.#next = undefined;
    return this.#start();
  }

  #start(): Promise<T> {
    const running = this.#task().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}
