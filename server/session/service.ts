import type { Action } from '../../lib/protocol/actions';
import { mayPerform } from '../../lib/protocol/actions';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { CreateSessionBody, CreateSessionResult } from '../../lib/protocol/http';
import type { Role } from '../../lib/protocol/primitives';
import type { JoinRequest, JoinResult } from '../../lib/protocol/socket';
import { PROTOCOL_VERSION } from '../../lib/protocol/version';
import { SessionError } from './errors';
import { keyMatches, newId } from './keys';
import { SessionRoom } from './room';
import type { SessionStore, StoredSession } from './store';

/** Who is on the other end of a connection, as decided by the server. */
export interface Member {
  room: SessionRoom;
  participantId: string;
  role: Role;
}

/** Resumes with more missing events than this get a snapshot instead. */
const MAX_RESUME_EVENTS = 1000;

export class SessionService {
  private readonly rooms = new Map<string, Promise<SessionRoom>>();
  private readonly roomListeners: ((room: SessionRoom) => void)[] = [];
  /** Open connections per participant, to tell online from offline across tabs. */
  private readonly connections = new Map<string, number>();

  constructor(
    private readonly store: SessionStore,
    /** Whether this server can load the model; sessions and model.set name only such models. */
    private readonly modelExists: (modelId: string) => Promise<boolean> = async () => true,
  ) {}

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

    let role: Role = 'student';
    if (request.instructorKey !== undefined) {
      if (!keyMatches(request.instructorKey, session.instructorKeyHash)) {
        throw new SessionError('forbidden', 'that instructor key does not open this session');
      }
      role = 'instructor';
    }

    const known = request.participantId ? room.state.participants[request.participantId] : undefined;
    const resumes = known !== undefined && known.role === role;
    const participantId = resumes ? known.id : newId();
    const name = request.name ?? known?.name ?? (role === 'instructor' ? 'Instructor' : undefined);
    if (!name) throw new SessionError('bad-request', 'a name is required to join');

    // Read the resume point before this join's own events are appended.
    const lastSeq = request.lastSeq;
    if (resumes && known.name === name) {
      if (!known.online)
        await room.append(participantId, { type: 'participant.connection', participantId, online: true });
    } else {
      await this.store.upsertParticipant({ id: participantId, sessionId: session.id, name, role });
      await room.append(participantId, { type: 'participant.joined', participantId, name, role });
    }
    this.connections.set(participantId, (this.connections.get(participantId) ?? 0) + 1);

    const member: Member = { room, participantId, role };
    const tail = lastSeq !== undefined ? room.eventsAfter(lastSeq) : null;
    const base = { participantId, role, sessionId: session.id };
    const result: JoinResult =
      tail && tail.length <= MAX_RESUME_EVENTS
        ? { ...base, kind: 'events', events: tail }
        : { ...base, kind: 'snapshot', state: room.state };
    return { member, result };
  }

  async act(member: Member, action: Action): Promise<LoggedEvent> {
    if (!mayPerform(member.role, action.type)) {
      throw new SessionError('forbidden', `only the instructor may send ${action.type}`);
    }
    if (action.type === 'model.set') await this.requireModel(action.modelId);
    return member.room.append(member.participantId, action);
  }

  private async requireModel(modelId: string): Promise<void> {
    if (!(await this.modelExists(modelId))) {
      throw new SessionError('bad-request', `this server has no model "${modelId}"`);
    }
  }

  /** Waits for every queued append (departures included) to reach the database. */
  async drain(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    await Promise.all(rooms.map((r) => (r.status === 'fulfilled' ? r.value.idle() : undefined)));
  }

  async leave(member: Member): Promise<void> {
    const open = (this.connections.get(member.participantId) ?? 1) - 1;
    if (open > 0) {
      this.connections.set(member.participantId, open);
      return;
    }
    this.connections.delete(member.participantId);
    await member.room.append(member.participantId, {
      type: 'participant.connection',
      participantId: member.participantId,
      online: false,
    });
  }

  /** Another server stored events of this session: fold them here too, if the room is loaded. */
  async refresh(sessionId: string): Promise<void> {
    await (await this.rooms.get(sessionId))?.refresh();
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

  /** Called with each room as it is loaded, before anything is appended to it here. */
  onRoomLoaded(listener: (room: SessionRoom) => void): void {
    this.roomListeners.push(listener);
  }
}
