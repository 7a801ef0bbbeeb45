import type { EventBody, LoggedEvent } from '../../lib/protocol/events';
import { eventBodySchema } from '../../lib/protocol/events';
import type { Db } from '../db/client';
import { type EventRow, toEventRow } from './event-row';
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
        this.db.event.create({ data: storedRow(sessionId, toEventRow(event)) }),
        this.db.session.update({ where: { id: sessionId }, data: { lastSeq: event.seq } }),
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new SeqConflictError(sessionId, event.seq);
      throw error;
    }
  }

  /** Stores part of a recorded log (an import, batch by batch), exactly as recorded. */
  async appendRows(sessionId: string, rows: readonly EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.$transaction([
      this.db.event.createMany({ data: rows.map((row) => storedRow(sessionId, row)) }),
      this.db.session.update({ where: { id: sessionId }, data: { lastSeq: rows.at(-1)!.seq } }),
    ]);
  }

  /** Removes a session and everything of it (an import that failed half-way). */
  async remove(sessionId: string): Promise<void> {
    await this.db.session.delete({ where: { id: sessionId } });
  }

  async upsertParticipant(p: {
    id: string;
    sessionId: string;
    name: string;
    role: string;
    resumeSecretHash?: string;
  }): Promise<void> {
    await this.db.participant.upsert({
      where: { id: p.id },
      create: p,
      update: { lastSeenAt: new Date(), name: p.name },
    });
  }

  /** The stored hash of a participant's resume secret, if it belongs to this session. */
  async resumeSecretHash(sessionId: string, participantId: string): Promise<string | null> {
    const row = await this.db.participant.findUnique({
      where: { id: participantId },
      select: { sessionId: true, resumeSecretHash: true },
    });
    return row && row.sessionId === sessionId ? row.resumeSecretHash : null;
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

function storedRow(sessionId: string, row: EventRow) {
  return { ...row, sessionId, createdAt: new Date(row.createdAt) };
}
