import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Cluster } from './socket';

/**
 * Several ConvLens servers behind one address share a Redis: Socket.io's Redis
 * Streams adapter carries broadcasts (and survives short disconnections), and the
 * database's unique (sessionId, seq) keeps each session's log gap-free.
 */
export async function joinCluster(
  url: string,
  streamName = 'convlens',
): Promise<{ cluster: Cluster; close(): Promise<void> }> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach Redis at REDIS_URL: ${(error as Error).message}`);
  }
  return {
    cluster: { adapter: createAdapter(client, { streamName }) },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
