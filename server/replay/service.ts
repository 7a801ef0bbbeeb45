import { randomBytes } from 'node:crypto';
import { exerciseHiding } from '../../lib/exercises/hidden';
import { redactEvent } from '../../lib/exercises/redact';
import type { ComputeRequest } from '../../lib/protocol/compute';
import type { LoggedEvent } from '../../lib/protocol/events';
import type {
  MissingAssets,
  ReplayLog,
  ReplayShare,
  SessionExport,
  SessionListing,
  SessionListingPage,
} from '../../lib/protocol/replay';
import { LOG_VERSION } from '../../lib/protocol/version';
import { fold } from '../../lib/session/reducer';
import type { Db } from '../db/client';
import { ExerciseTables } from '../exercises/tables';
import { instructorKeyOpens, requireInstructorKey } from '../session/access';
import { SessionError } from '../session/errors';
import type { SessionStore, StoredSession } from '../session/store';
import { type AssetHasher, referencedAssets } from './assets';
import { readSessionFile } from './import-reader';

export interface ReplayCredentials {
  instructorKey?: string;
  share?: string;
}

/** Recordings: who may watch them, share links, the instructor's list, export and import. */
export class ReplayService {
  constructor(
    private readonly db: Db,
    private readonly store: SessionStore,
    private readonly hasher: AssetHasher,
  ) {}

  async session(joinCode: string): Promise<StoredSession> {
    const session = await this.store.findByJoinCode(joinCode);
    if (!session) throw new SessionError('not-found', `no session has the code ${joinCode}`);
    return session;
  }

  /** The instructor key opens everything of its session. */
  async asInstructor(joinCode: string, key: string | undefined): Promise<StoredSession> {
    const session = await this.session(joinCode);
    requireInstructorKey(session, key);
    return session;
  }

  /** A replay opens with the instructor key or a share link that has not been revoked. */
  async asViewer(
    joinCode: string,
    credentials: ReplayCredentials,
  ): Promise<{ session: StoredSession; viewer: 'instructor' | 'shared' }> {
    if (credentials.instructorKey) {
      return { session: await this.asInstructor(joinCode, credentials.instructorKey), viewer: 'instructor' };
    }
    if (!credentials.share) {
      throw new SessionError('unauthorized', 'a replay needs the instructor key or a share link');
    }
    const session = await this.session(joinCode);
    const share = await this.db.replayShare.findUnique({ where: { token: credentials.share } });
    if (!share || share.sessionId !== session.id || share.revokedAt) {
      throw new SessionError('forbidden', 'this share link is not valid (it may have been revoked)');
    }
    return { session, viewer: 'shared' };
  }

  /**
   * The recording. The instructor gets all of it; a share link gets it as a student
   * would have: answers to exercises not yet revealed stay hidden.
   */
  async log(session: StoredSession, viewer: 'instructor' | 'shared' = 'instructor'): Promise<ReplayLog> {
    const events = await this.store.events(session.id);
    return {
      joinCode: session.joinCode,
      title: session.title,
      modelId: session.modelId,
      createdAt: session.createdAt.toISOString(),
      logVersion: LOG_VERSION,
      events: viewer === 'instructor' ? events : hideUnrevealedAnswers(events),
    };
  }

  /**
   * Refuses a share-link viewer the result that answers one of the session's exercises not yet revealed (the
   * recording hides those answers too); the instructor may compute anything of their session.
   */
  async requireNotAnAnswer(
    session: StoredSession,
    viewer: 'instructor' | 'shared',
    request: ComputeRequest,
  ): Promise<void> {
    if (viewer === 'instructor') return;
    const state = fold(await this.store.events(session.id));
    if (exerciseHiding(state, request) !== null) {
      throw new SessionError('forbidden', 'this is the answer to an exercise not yet revealed');
    }
  }

  async createShare(session: StoredSession): Promise<ReplayShare> {
    const share = await this.db.replayShare.create({
      data: { token: randomBytes(18).toString('base64url'), sessionId: session.id },
    });
    return toShare(share);
  }

  async shares(session: StoredSession): Promise<ReplayShare[]> {
    const rows = await this.db.replayShare.findMany({
      where: { sessionId: session.id },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toShare);
  }

  async revokeShare(session: StoredSession, token: string): Promise<void> {
    const { count } = await this.db.replayShare.updateMany({
      where: { token, sessionId: session.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new SessionError('not-found', 'no such active share link');
  }

  /**
   * The sessions whose keys this browser holds, newest first, one page at a time; unknown codes and wrong
   * keys are left out. Counted by the database: no log is read or folded.
   */
  async listings(
    entries: { joinCode: string; instructorKey: string }[],
    page: { page: number; pageSize: number },
  ): Promise<SessionListingPage> {
    const codes = [...new Set(entries.map((e) => e.joinCode))];
    const rows = await this.db.session.findMany({
      where: { joinCode: { in: codes } },
      orderBy: { createdAt: 'desc' },
    });
    const opened = rows.filter((row) =>
      entries.some((e) => e.joinCode === row.joinCode && instructorKeyOpens(row, e.instructorKey)),
    );
    const shown = opened.slice(page.page * page.pageSize, (page.page + 1) * page.pageSize);
    const sessions = await Promise.all(shown.map((session) => this.listing(session)));
    return { sessions, page: page.page, pageSize: page.pageSize, total: opened.length };
  }

  private async listing(session: StoredSession): Promise<SessionListing> {
    const where = { sessionId: session.id };
    const [span, students, exercises, lastModel] = await Promise.all([
      this.db.event.aggregate({ where, _min: { createdAt: true }, _max: { createdAt: true }, _count: true }),
      this.db.participant.count({ where: { ...where, role: 'student' } }),
      this.db.exercise.count({ where }),
      this.db.event.findFirst({ where: { ...where, type: 'model.set' }, orderBy: { seq: 'desc' } }),
    ]);
    const first = span._min.createdAt?.getTime() ?? session.createdAt.getTime();
    const last = span._max.createdAt?.getTime() ?? first;
    const modelSet = lastModel ? (JSON.parse(lastModel.payload) as { modelId?: string }) : null;
    return {
      joinCode: session.joinCode,
      title: session.title,
      modelId: modelSet?.modelId ?? session.modelId,
      createdAt: session.createdAt.toISOString(),
      durationSeconds: Math.round((last - first) / 1000),
      students,
      exercises,
      events: span._count,
    };
  }

  async exportSession(session: StoredSession): Promise<SessionExport> {
    const events = await this.store.events(session.id);
    const { models, images } = referencedAssets(events);
    return {
      format: 'convlens-session',
      logVersion: LOG_VERSION,
      session: { title: session.title, modelId: session.modelId, createdAt: session.createdAt.toISOString() },
      assets: {
        models: await Promise.all(models.map(async (id) => ({ id, sha256: await this.hasher.model(id) }))),
        images: await Promise.all(images.map(async (id) => ({ id, sha256: await this.hasher.image(id) }))),
      },
      events,
    };
  }

  /** What an export needs that this server lacks or has with other content. */
  async missingAssets(assets: SessionExport['assets']): Promise<MissingAssets> {
    const check = async (kind: 'model' | 'image', asset: { id: string; sha256: string }) => {
      try {
        const here = kind === 'model' ? await this.hasher.model(asset.id) : await this.hasher.image(asset.id);
        return here === asset.sha256 ? null : { id: asset.id, reason: 'different content on this server' };
      } catch {
        return { id: asset.id, reason: 'not on this server' };
      }
    };
    const models = await Promise.all(assets.models.map((a) => check('model', a)));
    const images = await Promise.all(assets.images.map((a) => check('image', a)));
    return { models: models.filter((m) => m !== null), images: images.filter((i) => i !== null) };
  }

  /**
   * Imports a session file. Reading, checking and folding it happen in a worker thread; the events come back
   * as rows in batches and are stored batch by batch, so a large file never holds the event loop. A file
   * refused half-way leaves nothing behind.
   */
  async importSession(bytes: Uint8Array): Promise<{ joinCode: string; instructorKey: string }> {
    const reading = readSessionFile(bytes);
    try {
      const checked = await reading.checked;
      const missing = await this.missingAssets(checked.header.assets);
      if (missing.models.length + missing.images.length > 0) {
        const names = [...missing.models, ...missing.images].map((m) => `${m.id} (${m.reason})`).join(', ');
        throw new SessionError('unprocessable', `this server lacks what the session needs: ${names}`, {
          models: missing.models.map((m) => m.id),
          images: missing.images.map((i) => i.id),
        });
      }
      const { session, instructorKey } = await this.store.open({
        title: checked.header.session.title,
        modelId: checked.header.session.modelId,
      });
      try {
        for await (const rows of reading.rows()) {
          await this.store.appendRows(session.id, rows);
          // The batches arrive together and SQLite answers synchronously: let sockets and requests in between.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await new ExerciseTables(this.db).fromFolded(session.id, checked.exercises, checked.exerciseEvents);
      } catch (error) {
        await this.store.remove(session.id).catch(() => undefined);
        throw error;
      }
      return { joinCode: session.joinCode, instructorKey };
    } finally {
      await reading.close();
    }
  }
}

function toShare(row: { token: string; createdAt: Date; revokedAt: Date | null }): ReplayShare {
  return {
    token: row.token,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

function hideUnrevealedAnswers(events: LoggedEvent[]): LoggedEvent[] {
  const revealed = new Set(
    fold(events)
      .exercises.filter((e) => e.phase === 'revealed')
      .map((e) => e.id),
  );
  return events.map((event) =>
    event.body.type === 'exercise.answer' && !revealed.has(event.body.exercise)
      ? redactEvent(event, null)
      : event,
  );
}
