import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/protocol/socket';
import type { Member } from '../session/service';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** One socket's standing: who it is once joined, and where it connects from. */
export interface Connection {
  socket: IoSocket;
  address: string;
  member?: Member;
}
