import type { EventBody, LoggedEvent } from '../../lib/protocol/events';
import { eventBodySchema } from '../../lib/protocol/events';
import type { Db } from '../db/client';
import { hashKey, newId, newInstructorKey, newJoinCode } from './keys';

export interface StoredSession {
  id: string;
  joinCode: string;
  title: string;
  modelId: string;
  instructorKeyHash: string;
  createdAt: Date;
  lastSeq: number;
}

export class SeqConflictError extends Error {
  constructor(
    readonly sessionId: string,
    readonly seq: number,
  ) {
    super(`seq ${seq} of session ${sessionId} is taken`);
  }
}

/** Sessions and their event logs in the database. */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async create(session: Omit<StoredSession, 'createdAt' | 'lastSeq'>): Promise<StoredSession> {
    return this.db.session.create({ data: session });
  }

  findByJoinCode(joinCode: string): Promise<StoredSession | null> {
    return this.db.session.findUnique({ where: { joinCode } });
  }

  findById(id: string): Promise<StoredSession | null> {
    return this.db.session.findUnique({ where: { id } });
  }

  async joinCodeTaken(joinCode: string): Promise<boolean> {
    return (await this.db.session.count({ where: { joinCode } })) > 0;
  }

  /** A new session with a free join code; its instructor key is returned once, only its hash is kept. */
  async open(details: {
    title: string;
    modelId: string;
  }): Promise<{ session: StoredSession; instructorKey: string }> {
    const instructorKey = newInstructorKey();
    let joinCode = newJoinCode();
    while (await this.joinCodeTaken(joinCode)) joinCode = newJoinCode();
    const session = await this.create({
      id: newId(),
      joinCode,
      ...details,
      instructorKeyHash: hashKey(instructorKey),
    });
    return { session, instructorKey };
  }

  /**
   * Stores one event at exactly `event.seq`. The unique (sessionId, seq) makes
   * this the arbiter when several servers append to one session.
   */
  async append(sessionId: string, event: LoggedEvent): Promise<void> {
    try {
      await this.db.$transaction([
        this.db.event.create({ data: eventRow(sessionId, event) }),
        this.db.session.update({ where: { id: sessionId }, data: { lastSeq: event.seq } }),
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new SeqConflictError(sessionId, event.seq);
      throw error;
    }
  }

  /** Stores a whole recorded log (import), exactly as recorded. */
  async appendAll(sessionId: string, events: readonly LoggedEvent[]): Promise<void> {
    await this.db.$transaction([
      this.db.event.createMany({ data: events.map((event) => eventRow(sessionId, event)) }),
      this.db.session.update({ where: { id: sessionId }, data: { lastSeq: events.at(-1)?.seq ?? 0 } }),
    ]);
  }

  async upsertParticipant(p: { id: string; sessionId: string; name: string; role: string }): Promise<void> {
    await this.db.participant.upsert({
      where: { id: p.id },
      create: p,
      update: { lastSeenAt: new Date(), name: p.name },
    });
  }

  async events(sessionId: string, afterSeq = 0): Promise<LoggedEvent[]> {
    const rows = await this.db.event.findMany({
      where: { sessionId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
    });
    return rows.map((row) => ({
      seq: row.seq,
      at: row.createdAt.toISOString(),
      actor: row.actorId,
      body: eventBodySchema.parse(JSON.parse(row.payload)) as EventBody,
    }));
  }
}

function eventRow(sessionId: string, event: LoggedEvent) {
  return {
    sessionId,
    seq: event.seq,
    type: event.body.type,
    actorId: event.actor,
    payload: JSON.stringify(event.body),
    createdAt: new Date(event.at),
  };
}
