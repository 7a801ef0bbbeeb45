// Ephemeral messages: presence and the dragged patch. Nothing here is logged; the room keeps the latest
// value and announces changes (server/socket/index.ts broadcasts them).
import { presenceUpdateSchema, probeDragSchema } from '../../lib/protocol/presence';
import type { SessionService } from '../session/service';
import { type HandlerContext, handle, parse, requireMember } from './handle';
import type { Connection } from './types';

export function ephemeralHandlers(
  deps: HandlerContext & { sessions: SessionService },
  connection: Connection,
): void {
  const { socket } = connection;

  socket.on('session:presence', (raw, ack) =>
    handle(deps, connection, ack, async () => {
      deps.sessions.say(requireMember(connection), parse(presenceUpdateSchema, raw));
      return null;
    }),
  );

  socket.on('session:probe', (raw, ack) =>
    handle(deps, connection, ack, async () => {
      await deps.sessions.drag(requireMember(connection), parse(probeDragSchema, raw));
      return null;
    }),
  );
}
