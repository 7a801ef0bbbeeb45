import { io, type Socket } from 'socket.io-client';
import type { Action } from '@/lib/protocol/actions';
import type { ComputeAccepted, ComputeProgress, ComputeRequest } from '@/lib/protocol/compute';
import type { LoggedEvent } from '@/lib/protocol/events';
import type { LessonPrepProgress, PrepareLesson } from '@/lib/protocol/lesson-prep';
import {
  applyEphemeral,
  type EphemeralState,
  emptyEphemeral,
  type PresenceUpdate,
  type ProbeDrag,
} from '@/lib/protocol/presence';
import type { Role } from '@/lib/protocol/primitives';
import type {
  ClientToServerEvents,
  JoinResult,
  ProtocolError,
  Response,
  ServerToClientEvents,
} from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { fold } from '@/lib/session/reducer';
import { Sequencer } from '@/lib/session/sequencer';
import type { SessionState } from '@/lib/session/state';
import type { Credentials } from './credentials';

const GAP_PATIENCE_MS = 1000;

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'failed';

export interface ConnectionSnapshot {
  status: ConnectionStatus;
  state: SessionState | null;
  /** Presence and the dragged patch: kept apart from the logged state, never folded. */
  ephemeral: EphemeralState;
  role: Role | null;
  participantId: string | null;
  error: ProtocolError | null;
}

export const IDLE_SNAPSHOT: ConnectionSnapshot = {
  status: 'connecting',
  state: null,
  ephemeral: emptyEphemeral(),
  role: null,
  participantId: null,
  error: null,
};

/**
 * The browser's one link to a session: joins, folds every logged event with
 * the shared reducer, and on reconnect resumes from the last seq it folded.
 */
export class SessionConnection {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private snapshot: ConnectionSnapshot = IDLE_SNAPSHOT;
  /** What this tab last said about itself: said again after every (re)join. */
  private presence: PresenceUpdate = {};
  private readonly listeners = new Set<() => void>();
  private sequencer: Sequencer | null = null;
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly progressListeners = new Map<string, Set<(progress: ComputeProgress) => void>>();
  private readonly partialListeners = new Map<string, Set<(result: unknown) => void>>();

  constructor(
    private readonly joinCode: string,
    private credentials: Credentials,
    private readonly onJoined: (result: JoinResult) => void = () => {},
    url?: string,
    /** The projector's screen: joins as a presenter and never sends an instructor key. */
    private readonly presenter = false,
  ) {
    this.socket = url ? io(url, { transports: ['websocket'] }) : io({ transports: ['websocket'] });
    this.socket.on('connect', () => this.join());
    this.socket.on('disconnect', () => this.update({ status: 'offline' }));
    this.socket.on('session:event', (event) => this.receive(event));
    this.socket.on('session:error', (error) => this.update({ error }));
    this.socket.on('session:ephemeral', (update) =>
      this.update({ ephemeral: applyEphemeral(this.snapshot.ephemeral, update) }),
    );
    this.socket.on('compute:progress', (progress) => {
      for (const l of this.progressListeners.get(progress.key) ?? []) l(progress);
    });
    this.socket.on('compute:partial', ({ key, result }) => {
      for (const l of this.partialListeners.get(key) ?? []) l(result);
    });
  }

  get connected(): boolean {
    return this.socket.connected && this.snapshot.status === 'live';
  }

  /** Asks the server for a derived result; resolves when it is ready or the server declines. */
  computeOnServer(request: ComputeRequest): Promise<Response<ComputeAccepted>> {
    return new Promise((resolve) => {
      if (!this.connected) {
        resolve({ ok: false, error: { code: 'not-joined', message: 'not connected' } });
        return;
      }
      this.socket.emit('compute:request', request, resolve);
    });
  }

  cancelOnServer(key: string): void {
    if (this.socket.connected) this.socket.emit('compute:cancel', { key });
  }

  /** Progress of a job anyone in the session started, and early results of one this tab asked for. */
  watchCompute(
    key: string,
    onProgress: (progress: ComputeProgress) => void,
    onPartial: (result: unknown) => void,
  ): () => void {
    const add = <T>(map: Map<string, Set<T>>, value: T) => {
      const set = map.get(key) ?? new Set<T>();
      set.add(value);
      map.set(key, set);
      return () => {
        set.delete(value);
        if (set.size === 0) map.delete(key);
      };
    };
    const a = add(this.progressListeners, onProgress);
    const b = add(this.partialListeners, onPartial);
    return () => {
      a();
      b();
    };
  }

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  act(action: Action): Promise<Response<{ seq: number }>> {
    return this.ask((answer) => this.socket.emit('session:act', action, answer));
  }

  /** Instructor: the server computes ahead every result the lesson needs (progress through onPrepared). */
  prepareLesson(request: PrepareLesson): Promise<Response<{ steps: number }>> {
    return this.ask((answer) => this.socket.emit('compute:prepare', request, answer));
  }

  /** Sends an event answered through its acknowledgement; "not connected" at once when offline. */
  private ask<T>(send: (answer: (response: Response<T>) => void) => void): Promise<Response<T>> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'not-joined', message: 'not connected' } });
        return;
      }
      send(resolve);
    });
  }

  cancelLessonPreparation(): void {
    if (this.socket.connected) this.socket.emit('compute:prepare-cancel');
  }

  onPrepared(listener: (progress: LessonPrepProgress) => void): () => void {
    this.socket.on('compute:prepared', listener);
    return () => {
      this.socket.off('compute:prepared', listener);
    };
  }

  /** Ephemeral: tells the session this tab's backend, whether it follows, and its view. */
  say(update: PresenceUpdate): void {
    this.presence = { ...this.presence, ...update };
    if (this.connected) this.socket.emit('session:presence', update);
  }

  /** Ephemeral, instructor only: the patch while it is dragged (send `probe.set` where it lands). */
  drag(probe: ProbeDrag['probe']): void {
    if (this.connected) this.socket.emit('session:probe', { probe });
  }

  close(): void {
    this.socket.close();
  }

  private join(): void {
    this.update({ status: 'connecting' });
    const request = {
      protocolVersion: PROTOCOL_VERSION,
      joinCode: this.joinCode,
      name: this.presenter ? undefined : this.credentials.name,
      instructorKey: this.presenter ? undefined : this.credentials.instructorKey,
      presenter: this.presenter || undefined,
      participantId: this.snapshot.participantId ?? this.credentials.participantId,
      resumeSecret: this.credentials.resumeSecret,
      lastSeq: this.snapshot.state?.seq,
    };
    this.socket.emit('session:join', request, (response) => {
      if (!response.ok) {
        this.update({ status: 'failed', error: response.error });
        this.socket.close();
        return;
      }
      const result = response.value;
      const joined =
        result.kind === 'snapshot' ? result.state : fold(result.events, this.snapshot.state ?? undefined);
      // Events that arrived while the join was answered are kept and folded in order.
      this.sequencer = this.sequencer ?? new Sequencer(joined);
      const state = this.sequencer.reset(joined);
      this.credentials = {
        ...this.credentials,
        participantId: result.participantId,
        resumeSecret: result.resumeSecret ?? this.credentials.resumeSecret,
      };
      this.update({
        status: 'live',
        state,
        ephemeral: result.ephemeral,
        role: result.role,
        participantId: result.participantId,
        error: null,
      });
      if (Object.keys(this.presence).length > 0) this.socket.emit('session:presence', this.presence);
      this.onJoined(result);
    });
  }

  private receive(event: LoggedEvent): void {
    if (!this.sequencer) return;
    const state = this.sequencer.accept(event);
    if (state !== this.snapshot.state) this.update({ state });
    if (this.sequencer.waiting && !this.gapTimer) {
      // With several servers two broadcasts can cross; a gap that stays open means a lost event:
      // reconnecting resumes from the last seq folded.
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.sequencer?.waiting) this.socket.disconnect().connect();
      }, GAP_PATIENCE_MS);
    }
  }

  private update(patch: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}
