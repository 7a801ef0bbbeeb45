import type { Redis } from 'ioredis';
import type { EncodedResult } from '../../lib/compute/codec';

/** Redis names shared by the servers (producers) and the compute workers of one deployment. */
export function queueNames(prefix = 'convlens') {
  return {
    /** BullMQ's key prefix and queue name. */
    bullPrefix: `${prefix}:bull`,
    queue: 'compute',
    /** Pub/sub channel: a job key nobody waits for any more. */
    cancelChannel: `${prefix}:compute:cancel`,
    /** Pub/sub channel: an early, coarser result of a running job (see encodePartial). */
    partialChannel: `${prefix}:compute:partial`,
    /** Sorted set of live compute workers, scored by their last heartbeat (Redis time, ms). */
    workersKey: `${prefix}:compute:workers`,
    /** Set of the servers still waiting for a job key. */
    waitersKey: (key: string) => `${prefix}:compute:waiters:${key}`,
  };
}

/** A worker refreshes its heartbeat this often; one silent for WORKER_SILENT_MS counts as gone. */
export const WORKER_HEARTBEAT_MS = 2_000;
export const WORKER_SILENT_MS = 10_000;

/** A failure crosses Redis as "<code>|<message>". */
export function encodeFailure(code: string, message: string): string {
  return `${code}|${message}`;
}

/** A partial crosses Redis pub/sub as JSON, its bytes in base64 (not kept in Redis: fire and forget). */
export function encodePartial(key: string, partial: EncodedResult): string {
  return JSON.stringify({ key, meta: partial.meta, bytes: Buffer.from(partial.bytes).toString('base64') });
}

export function decodePartial(message: string): { key: string; partial: EncodedResult } {
  const { key, meta, bytes } = JSON.parse(message) as { key: string; meta: unknown; bytes: string };
  return { key, partial: { meta, bytes: new Uint8Array(Buffer.from(bytes, 'base64')) } };
}

/** Redis's clock in ms: heartbeats from several machines compare on one clock. */
export async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
