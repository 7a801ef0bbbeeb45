import { randomBytes } from 'node:crypto';
import { redactEvent } from '../../lib/exercises/redact';
import type { LoggedEvent } from '../../lib/protocol/events';
import type {
  MissingAssets,
  ReplayLog,
  ReplayShare,
  SessionExport,
  SessionListing,
} from '../../lib/protocol/replay';
import { LOG_VERSION } from '../../lib/protocol/version';
import { fold } from '../../lib/session/reducer';
import type { Db } from '../db/client';
import { ExerciseTables } from '../exercises/tables';
import { HttpError } from '../http/body';
import { keyMatches } from '../session/keys';
import type { SessionStore, StoredSession } from '../session/store';
import { type AssetHasher, referencedAssets } from './assets';

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
    if (!session) throw new HttpError(404, 'not-found', `no session has the code ${joinCode}`);
    return session;
  }

  /** The instructor key opens everything of its session. */
  async asInstructor(joinCode: string, key: string | undefined): Promise<StoredSession> {
    if (!key)
      throw new HttpError(401, 'unauthorized', 'send the instructor key (Authorization: Bearer <key>)');
    const session = await this.session(joinCode);
    if (!keyMatches(key, session.instructorKeyHash)) {
      throw new HttpError(403, 'forbidden', 'that instructor key does not open this session');
    }
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
      throw new HttpError(401, 'unauthorized', 'a replay needs the instructor key or a share link');
    }
    const session = await this.session(joinCode);
    const share = await this.db.replayShare.findUnique({ where: { token: credentials.share } });
    if (!share || share.sessionId !== session.id || share.revokedAt) {
      throw new HttpError(403, 'forbidden', 'this share link is not valid (it may have been revoked)');
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
    if (count === 0) throw new HttpError(404, 'not-found', 'no such active share link');
  }

  /** The sessions whose keys this browser holds; unknown codes and wrong keys are left out. */
  async listings(entries: { joinCode: string; instructorKey: string }[]): Promise<SessionListing[]> {
    const listings: SessionListing[] = [];
    for (const { joinCode, instructorKey } of entries) {
      const session = await this.store.findByJoinCode(joinCode);
      if (!session || !keyMatches(instructorKey, session.instructorKeyHash)) continue;
      const events = await this.store.events(session.id);
      const state = fold(events);
      const first = events[0] ? Date.parse(events[0].at) : session.createdAt.getTime();
      const last = events.at(-1) ? Date.parse(events.at(-1)!.at) : first;
      listings.push({
        joinCode,
        title: session.title,
        modelId: state.modelId || session.modelId,
        createdAt: session.createdAt.toISOString(),
        durationSeconds: Math.round((last - first) / 1000),
        students: Object.values(state.participants).filter((p) => p.role === 'student').length,
        exercises: events.filter((e) => e.body.type.startsWith('exercise.') && e.body.type.endsWith('start'))
          .length,
        events: events.length,
      });
    }
    return listings.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
  async missingAssets(file: SessionExport): Promise<MissingAssets> {
    const check = async (kind: 'model' | 'image', asset: { id: string; sha256: string }) => {
      try {
        const here = kind === 'model' ? await this.hasher.model(asset.id) : await this.hasher.image(asset.id);
        return here === asset.sha256 ? null : { id: asset.id, reason: 'different content on this server' };
      } catch {
        return { id: asset.id, reason: 'not on this server' };
      }
    };
    const models = await Promise.all(file.assets.models.map((a) => check('model', a)));
    const images = await Promise.all(file.assets.images.map((a) => check('image', a)));
    return { models: models.filter((m) => m !== null), images: images.filter((i) => i !== null) };
  }

  async importSession(file: SessionExport): Promise<{ joinCode: string; instructorKey: string }> {
    if (file.logVersion > LOG_VERSION) {
      throw new HttpError(
        422,
        'too-new',
        `this file has log version ${file.logVersion}; this server reads up to ${LOG_VERSION}`,
      );
    }
    try {
      fold(file.events);
    } catch (error) {
      throw new HttpError(422, 'bad-log', `the log does not replay: ${(error as Error).message}`);
    }
    const declared = referencedAssets(file.events);
    const listed = (ids: string[], assets: { id: string }[]) =>
      ids.filter((id) => !assets.some((a) => a.id === id));
    const unlisted = [
      ...listed(declared.models, file.assets.models),
      ...listed(declared.images, file.assets.images),
    ];
    if (unlisted.length > 0) {
      throw new HttpError(422, 'bad-manifest', `the file's asset list leaves out ${unlisted.join(', ')}`);
    }
    const missing = await this.missingAssets(file);
    if (missing.models.length + missing.images.length > 0) {
      const names = [...missing.models, ...missing.images].map((m) => `${m.id} (${m.reason})`).join(', ');
      throw new HttpError(422, 'missing-assets', `this server lacks what the session needs: ${names}`, {
        models: missing.models.map((m) => m.id),
        images: missing.images.map((i) => i.id),
      });
    }
    const { session, instructorKey } = await this.store.open({
      title: file.session.title,
      modelId: file.session.modelId,
    });
    await this.store.appendAll(session.id, file.events as LoggedEvent[]);
    await new ExerciseTables(this.db).fromLog(session.id, file.events as LoggedEvent[]);
    return { joinCode: session.joinCode, instructorKey };
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
