/** A timer as a promise that can be cancelled (the promise then never settles). */
export interface Delay {
  readonly promise: Promise<void>;
  cancel(): void;
}

/** Resolves after `ms`. The timer keeps the process alive, as a shutdown in progress must. */
export function delay(ms: number): Delay {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Resolves after the event loop has gone round once (its I/O callbacks included). */
export function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
