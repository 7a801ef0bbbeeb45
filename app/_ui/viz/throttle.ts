// Leading-and-trailing throttle: the first call goes at once, then at most one per interval, and the
// last call of a burst is always delivered (so a drag ends where the pointer stopped).

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Deliver a pending trailing call now. */
  flush(): void;
  /** Drop a pending trailing call. */
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
  clock: Clock = realClock,
): Throttled<A> {
  let last = Number.NEGATIVE_INFINITY;
  let pending: A | null = null;
  let timer: unknown = null;

  const fire = () => {
    timer = null;
    if (!pending) return;
    const args = pending;
    pending = null;
    last = clock.now();
    fn(...args);
  };

  const throttled = (...args: A) => {
    pending = args;
    const wait = last + intervalMs - clock.now();
    if (wait <= 0) {
      if (timer !== null) clock.clearTimeout(timer);
      fire();
    } else if (timer === null) {
      timer = clock.setTimeout(fire, wait);
    }
  };
  throttled.flush = () => {
    if (timer !== null) clock.clearTimeout(timer);
    fire();
  };
  throttled.cancel = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return throttled;
}
