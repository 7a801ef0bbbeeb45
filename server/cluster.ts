// Several ConvLens servers behind one address share a Redis: Socket.io's Redis Streams adapter carries
// broadcasts to every server's sockets (and survives short disconnections), the database's unique
// (sessionId, seq) keeps each session's log gap-free, and the notes below keep each server's copy of a room
// current: "I stored events of session X" (fold them from the database) and "presence changed" (keep it
// for late joiners here). A room loaded later asks the others for the presence they hold.

import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { EphemeralState, EphemeralUpdate } from '../lib/protocol/presence';
import type { Logger } from './log';
import type { SessionService } from './session/service';
import type { IoServer } from './socket';

const APPENDED = 'convlens:appended';
const EPHEMERAL = 'convlens:ephemeral';
const PRESENCE_SNAPSHOT = 'convlens:presence-snapshot';

export interface Cluster {
  adapter: NonNullable<ServerOptions['adapter']>;
  close(): Promise<void>;
}

export async function joinCluster(url: string, streamName = 'convlens'): Promise<Cluster> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach Redis at REDIS_URL: ${(error as Error).message}`);
  }
  return {
    adapter: createAdapter(client, { streamName }),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

type ServerSide = {
  serverSideEmit(event: string, ...args: unknown[]): boolean;
  serverSideEmitWithAck(event: string, ...args: unknown[]): Promise<unknown[]>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
};

/** Keeps this server's rooms in step with what the other servers store and hear. */
export function fanOutBetweenServers(io: IoServer, sessions: SessionService, log: Logger): void {
  const peers = io as unknown as ServerSide;
  sessions.onRoomLoaded((room) => {
    room.onEvent(() => peers.serverSideEmit(APPENDED, room.id));
    room.onEphemeral((update) => peers.serverSideEmit(EPHEMERAL, room.id, update));
    peers.serverSideEmitWithAck(PRESENCE_SNAPSHOT, room.id).then(
      (answers) => merge(answers),
      // Servers that did not answer in time are left out; their next change reaches this one anyway.
      (error: { responses?: unknown }) => merge(error.responses),
    );
    function merge(answers: unknown): void {
      for (const answer of Array.isArray(answers) ? (answers as (EphemeralState | null)[]) : []) {
        if (!answer) continue;
        for (const [participantId, presence] of Object.entries(answer.presence)) {
          if (presence.online) room.applyRemote({ type: 'presence', participantId, presence });
        }
      }
    }
  });

  peers.on(APPENDED, (sessionId) => {
    if (typeof sessionId !== 'string') return;
    sessions.refresh(sessionId).catch((error) => log.error({ err: error }, 'refresh failed'));
  });
  peers.on(EPHEMERAL, (sessionId, update) => {
    if (typeof sessionId !== 'string') return;
    void sessions.loaded(sessionId)?.then((room) => room.applyRemote(update as EphemeralUpdate));
  });
  peers.on(PRESENCE_SNAPSHOT, (sessionId, reply) => {
    if (typeof reply !== 'function') return;
    const room = typeof sessionId === 'string' ? sessions.loaded(sessionId) : undefined;
    if (!room) return reply(null);
    room.then(
      (r) => reply(r.ephemeral.snapshot()),
      () => reply(null),
    );
  });
}
