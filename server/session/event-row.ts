import type { LoggedEvent } from '../../lib/protocol/events';

/** A logged event as its database row (without the session id): one mapping for appends and imports. */
export interface EventRow {
  seq: number;
  type: string;
  actorId: string | null;
  payload: string;
  createdAt: string;
}

export function toEventRow(event: LoggedEvent): EventRow {
  return {
    seq: event.seq,
    type: event.body.type,
    actorId: event.actor,
    payload: JSON.stringify(event.body),
    createdAt: event.at,
  };
}
