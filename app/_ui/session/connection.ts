import { io, type Socket } from 'socket.io-client';
import type { Action } from '@/lib/protocol/actions';
import type { ComputeAccepted, ComputeProgress, ComputeRequest } from '@/lib/protocol/compute';
import type { LoggedEvent } from '@/lib/protocol/events';
import type { Role } from '@/lib/protocol/primitives';
import type {
  ClientToServerEvents,
  JoinResult,
  ProtocolError,
  Response,
  ServerToClientEvents,
} from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { fold, reduce } from '@/lib/session/reducer';
import type { SessionState } from '@/lib/session/state';
import type { Credentials } from './credentials';

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'failed';

export interface ConnectionSnapshot {
  status: ConnectionStatus;
  state: SessionState | null;
  role: Role | null;
  participantId: string | null;
  error: ProtocolError | null;
}

/**
 * The browser's one link to a session: joins, folds every logged event with
 * the shared reducer, and on reconnect resumes from the last seq it folded.
 */
export class SessionConnection {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private snapshot: ConnectionSnapshot = {
    status: 'connecting',
    state: null,
    role: null,
    participantId: null,
    error: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly progressListeners = new Map<string, Set<(progress: ComputeProgress) => void>>();
  private readonly partialListeners = new Map<string, Set<(result: unknown) => void>>();

  constructor(
    private readonly joinCode: string,
    private credentials: Credentials,
    private readonly onJoined: (result: JoinResult) => void = () => {},
    url?: string,
  ) {
    this.socket = url ? io(url, { transports: ['websocket'] }) : io({ transports: ['websocket'] });
    this.socket.on('connect', () => this.join());
    this.socket.on('disconnect', () => this.update({ status: 'offline' }));
    this.socket.on('session:event', (event) => this.receive(event));
    this.socket.on('session:error', (error) => this.update({ error }));
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
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'not-joined', message: 'not connected' } });
        return;
      }
      this.socket.emit('session:act', action, resolve);
    });
  }

  close(): void {
    this.socket.close();
  }

  private join(): void {
    this.update({ status: 'connecting' });
    const request = {
      protocolVersion: PROTOCOL_VERSION,
      joinCode: this.joinCode,
      name: this.credentials.name,
      instructorKey: this.credentials.instructorKey,
      participantId: this.snapshot.participantId ?? this.credentials.participantId,
      lastSeq: this.snapshot.state?.seq,
    };
    this.socket.emit('session:join', request, (response) => {
      if (!response.ok) {
        this.update({ status: 'failed', error: response.error });
        this.socket.close();
        return;
      }
      const result = response.value;
      const state =
        result.kind === 'snapshot' ? result.state : fold(result.events, this.snapshot.state ?? undefined);
      this.credentials = { ...this.credentials, participantId: result.participantId };
      this.update({
        status: 'live',
        state,
        role: result.role,
        participantId: result.participantId,
        error: null,
      });
      this.onJoined(result);
    });
  }

  private receive(event: LoggedEvent): void {
    const state = this.snapshot.state;
    if (!state || event.seq <= state.seq) return;
    if (event.seq !== state.seq + 1) {
      // A gap: reconnecting resumes from the last seq folded.
      this.socket.disconnect().connect();
      return;
    }
    this.update({ state: reduce(state, event) });
  }

  private update(patch: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}
