import type { Action } from '../../lib/protocol/actions';
import { mayPerform } from '../../lib/protocol/actions';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { CreateSessionBody, CreateSessionResult } from '../../lib/protocol/http';
import type { PresenceUpdate, ProbeDrag } from '../../lib/protocol/presence';
import type { Role } from '../../lib/protocol/primitives';
import type { JoinRequest, JoinResult } from '../../lib/protocol/socket';
import { PROTOCOL_VERSION } from '../../lib/protocol/version';
import { type ParticipantState, participantOf } from '../../lib/session/state';
import { requireInstructorKey } from './access';
import { type CatalogLookup, checkAction, checkProbe } from './checks';
import { SessionError } from './errors';
import { hashKey, keyMatches, newId, newResumeSecret } from './keys';
import { SessionRoom } from './room';
import type { SessionStore, StoredSession } from './store';

/** Who is on the other end of a connection, as decided by the server. */
export interface Member {
  room: SessionRoom;
  participantId: string;
  role: Role;
}

export interface SessionLimits {
  /** Resumes with more missing events than this get a snapshot instead. */
  maxResumeEvents: number;
  /** Sockets one participant may hold in one session on this server (tabs, devices). */
  maxSocketsPerParticipant: number;
  /** A room nobody is connected to is dropped from memory after this long; it reloads from the log. */
  roomIdleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxResumeEvents: 1000,
  maxSocketsPerParticipant: 8,
  roomIdleMs: 10 * 60_000,
};

/** A student must give a name; the others have one. */
const DEFAULT_NAMES: Record<Role, string | undefined> = {
  instructor: 'Instructor',
  presenter: 'Projector',
  student: undefined,
};

const ALWAYS_FOUND: CatalogLookup = { model: async () => null, imageExists: () => true };

/**
 * Sessions: creating them, deciding who joins as whom, checking and logging what they do, and the rooms
 * that hold each session's authority in this process (loaded from the log on first use, dropped when idle).
 */
export class SessionService {
  private readonly rooms = new Map<string, Promise<SessionRoom>>();
  private readonly roomListeners: ((room: SessionRoom) => void)[] = [];
  private readonly evictTimer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: SessionStore,
    /** Models and images this server has; sessions and actions name only those. */
    private readonly catalog: CatalogLookup = ALWAYS_FOUND,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {
    this.evictTimer = setInterval(() => void this.evictIdle(), Math.min(60_000, limits.roomIdleMs));
    this.evictTimer.unref();
  }

  async create(body: CreateSessionBody): Promise<CreateSessionResult> {
    await this.requireModel(body.modelId);
    const { session, instructorKey } = await this.store.open({ title: body.title, modelId: body.modelId });
    const room = await this.room(session);
    await room.append(null, { type: 'session.created', title: body.title, modelId: body.modelId });
    return { sessionId: session.id, joinCode: session.joinCode, instructorKey };
  }

  async findByJoinCode(joinCode: string): Promise<StoredSession | null> {
    return this.store.findByJoinCode(joinCode);
  }

  async join(request: JoinRequest): Promise<{ member: Member; result: JoinResult }> {
    if (request.protocolVersion < PROTOCOL_VERSION) {
      throw new SessionError('client-too-old', 'this page is out of date: reload it');
    }
    if (request.protocolVersion > PROTOCOL_VERSION) {
      throw new SessionError('client-too-new', 'the server is older than this page: try again shortly');
    }
    const session = await this.store.findByJoinCode(request.joinCode);
    if (!session) throw new SessionError('not-found', `no session has the code ${request.joinCode}`);
    const room = await this.room(session);
    // With several servers, another may have appended since this one last looked.
    if (session.lastSeq > room.state.seq) await room.refresh();

    let role: Role = request.presenter ? 'presenter' : 'student';
    if (request.instructorKey !== undefined) {
      requireInstructorKey(session, request.instructorKey);
      role = 'instructor';
    }
    const resumed = await this.resumable(room, request, role);
    if (request.participantId && !resumed && !request.name && role === 'student') {
      throw new SessionError('forbidden', 'this browser cannot resume as that participant: join with a name');
    }
    const participantId = resumed?.id ?? newId();
    const resumeSecret = resumed ? undefined : newResumeSecret();
    const name = request.name ?? resumed?.name ?? DEFAULT_NAMES[role];
    if (!name) throw new SessionError('bad-request', 'a name is required to join');
    if (room.ephemeral.socketsOf(participantId) >= this.limits.maxSocketsPerParticipant) {
      throw new SessionError(
        'limit-exceeded',
        `at most ${this.limits.maxSocketsPerParticipant} connections per participant: close another tab first`,
      );
    }

    if (!resumed || resumed.name !== name) {
      await this.store.upsertParticipant({
        id: participantId,
        sessionId: session.id,
        name,
        role,
        ...(resumeSecret ? { resumeSecretHash: hashKey(resumeSecret) } : {}),
      });
      await room.append(participantId, { type: 'participant.joined', participantId, name, role });
    }
    room.connected(participantId);

    const member: Member = { room, participantId, role };
    const tail = request.lastSeq !== undefined ? room.eventsAfter(request.lastSeq) : null;
    const base = { participantId, role, sessionId: session.id, ephemeral: room.ephemeral.snapshot() };
    const withSecret = resumeSecret ? { ...base, resumeSecret } : base;
    const result: JoinResult =
      tail && tail.length <= this.limits.maxResumeEvents
        ? { ...withSecret, kind: 'events', events: tail }
        : { ...withSecret, kind: 'snapshot', state: room.state };
    return { member, result };
  }

  /**
   * The participant this join may resume as: the instructor key proves an instructor; a student needs the
   * resume secret their first join was given (ids alone are public: every snapshot lists them).
   */
  private async resumable(
    room: SessionRoom,
    request: JoinRequest,
    role: Role,
  ): Promise<ParticipantState | undefined> {
    const known = request.participantId ? participantOf(room.state, request.participantId) : undefined;
    if (!known || known.role !== role) return undefined;
    if (role === 'instructor') return known;
    if (!request.resumeSecret) return undefined;
    const hash = await this.store.resumeSecretHash(room.id, known.id);
    return hash && keyMatches(request.resumeSecret, hash) ? known : undefined;
  }

  async act(member: Member, action: Action): Promise<LoggedEvent> {
    if (!mayPerform(member.role, action.type)) {
      throw new SessionError('forbidden', `only the instructor may send ${action.type}`);
    }
    await checkAction(this.catalog, member.room.state, action);
    return member.room.append(member.participantId, action);
  }

  /** Ephemeral: what a participant says about themselves (backend, following or exploring, view). */
  say(member: Member, update: PresenceUpdate): void {
    member.room.said(member.participantId, update);
  }

  /** Ephemeral, instructor only: the patch while it is dragged. */
  async drag(member: Member, drag: ProbeDrag): Promise<void> {
    if (member.role !== 'instructor')
      throw new SessionError('forbidden', 'only the instructor drags the patch');
    if (drag.probe) await checkProbe(this.catalog, member.room.state, drag.probe);
    member.room.dragged(drag.probe);
  }

  leave(member: Member): void {
    member.room.disconnected(member.participantId);
  }

  private async requireModel(modelId: string): Promise<void> {
    if (!(await this.catalog.model(modelId))) {
      throw new SessionError('bad-request', `this server has no model "${modelId}"`, {
        modelId: [`this server has no model "${modelId}"`],
      });
    }
  }

  /** Waits for every queued append to reach the database. */
  async drain(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    await Promise.all(rooms.map((r) => (r.status === 'fulfilled' ? r.value.idle() : undefined)));
  }

  close(): void {
    clearInterval(this.evictTimer);
  }

  /** Another server stored events of this session: fold them here too, if the room is loaded. */
  async refresh(sessionId: string): Promise<void> {
    await (await this.rooms.get(sessionId))?.refresh();
  }

  /** The room of a session if this process has it loaded (several servers: ephemeral updates from others). */
  loaded(sessionId: string): Promise<SessionRoom> | undefined {
    return this.rooms.get(sessionId);
  }

  /** One room object per session in this process, loaded from the log on first use. */
  room(session: StoredSession): Promise<SessionRoom> {
    let room = this.rooms.get(session.id);
    if (!room) {
      room = SessionRoom.load(session, this.store).then((loaded) => {
        for (const listener of this.roomListeners) listener(loaded);
        return loaded;
      });
      this.rooms.set(session.id, room);
      room.catch(() => this.rooms.delete(session.id));
    }
    return room;
  }

  /** Rooms this process holds (for tests and metrics). */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** Drops rooms nobody is connected to and nothing happened in for `roomIdleMs`. */
  async evictIdle(now = performance.now()): Promise<number> {
    let evicted = 0;
    for (const [id, pending] of this.rooms) {
      const room = await pending.catch(() => null);
      if (room?.isIdle(this.limits.roomIdleMs, now) && this.rooms.get(id) === pending) {
        this.rooms.delete(id);
        evicted++;
      }
    }
    return evicted;
  }

  /** Called with each room as it is loaded, before anything is appended to it here. */
  onRoomLoaded(listener: (room: SessionRoom) => void): void {
    this.roomListeners.push(listener);
  }
}
