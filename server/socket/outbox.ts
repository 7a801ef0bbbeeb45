// What a session's rooms announce goes out in slices of the event loop, not all at once. An event reaches every
// connection of a session; when hundreds of students join or leave at once (the bell), announcing each change
// to each connection inside one tick froze the server for seconds (issue 10: 43 s for 1,000 joins). Here
// announcements wait in one queue per session, in order, and are sent a few milliseconds' worth at a time;
// presence changes that pile up are merged into one message.
import type { LoggedEvent } from '../../lib/protocol/events';
import type { EphemeralUpdate, Presence } from '../../lib/protocol/presence';
import { emitEphemeral, emitSessionEvent } from './broadcast';
import type { IoServer } from './types';

/** How long one slice may send before the event loop gets its turn. */
const SLICE_MS = 8;

type Pending =
  | { kind: 'event'; event: LoggedEvent }
  | { kind: 'presence'; presence: Map<string, Presence> }
  | { kind: 'probe'; update: EphemeralUpdate };

export class SessionOutbox {
  private readonly queues = new Map<string, Pending[]>();
  private scheduled = false;

  constructor(private readonly io: IoServer) {}

  event(sessionRoom: string, event: LoggedEvent): void {
    this.queueOf(sessionRoom).push({ kind: 'event', event });
    this.schedule();
  }

  ephemeral(sessionRoom: string, update: EphemeralUpdate): void {
    const queue = this.queueOf(sessionRoom);
    const tail = queue.at(-1);
    if (update.type === 'probe') {
      // Only the latest position of a dragged patch matters.
      if (tail?.kind === 'probe') tail.update = update;
      else queue.push({ kind: 'probe', update });
    } else {
      const changes =
        update.type === 'presence'
          ? [[update.participantId, update.presence] as const]
          : Object.entries(update.presence);
      // Merged only into the last queued item, so nothing overtakes an event queued before it.
      const batch = tail?.kind === 'presence' ? tail.presence : new Map<string, Presence>();
      for (const [participantId, presence] of changes) batch.set(participantId, presence);
      if (tail?.kind !== 'presence') queue.push({ kind: 'presence', presence: batch });
    }
    this.schedule();
  }

  private queueOf(sessionRoom: string): Pending[] {
    let queue = this.queues.get(sessionRoom);
    if (!queue) {
      queue = [];
      this.queues.set(sessionRoom, queue);
    }
    return queue;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /** Sends for about SLICE_MS, going round the sessions so a busy one does not hold up the others. */
  private drain(): void {
    this.scheduled = false;
    const started = performance.now();
    while (this.queues.size > 0 && performance.now() - started < SLICE_MS) {
      for (const [sessionRoom, queue] of this.queues) {
        const next = queue.shift();
        if (next) this.send(sessionRoom, next);
        if (queue.length === 0) this.queues.delete(sessionRoom);
      }
    }
    if (this.queues.size > 0) this.schedule();
  }

  private send(sessionRoom: string, pending: Pending): void {
    if (pending.kind === 'event') {
      emitSessionEvent(this.io, sessionRoom, pending.event);
    } else if (pending.kind === 'probe') {
      emitEphemeral(this.io, sessionRoom, pending.update);
    } else if (pending.presence.size === 1) {
      const [[participantId, presence]] = pending.presence;
      emitEphemeral(this.io, sessionRoom, { type: 'presence', participantId, presence });
    } else {
      emitEphemeral(this.io, sessionRoom, {
        type: 'presence-batch',
        presence: Object.fromEntries(pending.presence),
      });
    }
  }
}
