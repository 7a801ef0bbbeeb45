// Waiting on visible state instead of sleeping: the condition is checked until it holds.

/** Resolves once `condition` holds, checking every `everyMs`; rejects with `what` after `timeoutMs`. */
export function waitFor(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = 30_000,
    everyMs = 10,
    what = 'condition',
  }: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        if (await condition()) return resolve();
      } catch (error) {
        return reject(error);
      }
      if (Date.now() > deadline) reject(new Error(`${what} not reached in ${timeoutMs} ms`));
      else setTimeout(poll, everyMs);
    };
    void poll();
  });
}
