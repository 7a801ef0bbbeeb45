/** Redis names shared by the servers (producers) and the compute workers of one deployment. */
export function queueNames(prefix = 'convlens') {
  return {
    /** BullMQ's key prefix and queue name. */
    bullPrefix: `${prefix}:bull`,
    queue: 'compute',
    /** Pub/sub channel: a job key nobody waits for any more. */
    cancelChannel: `${prefix}:compute:cancel`,
    /** Set of the servers still waiting for a job key. */
    waitersKey: (key: string) => `${prefix}:compute:waiters:${key}`,
  };
}

/** A failure crosses Redis as "<code>|<message>". */
export function encodeFailure(code: string, message: string): string {
  return `${code}|${message}`;
}
