import type { EventBody, LoggedEvent } from '../../lib/protocol/events';
import type { EphemeralUpdate, PresenceUpdate, ProbeDrag } from '../../lib/protocol/presence';
import { fold, reduce } from '../../lib/session/reducer';
import type { SessionState } from '../../lib/session/state';
import { EphemeralStore } from './ephemeral';
import { SeqConflictError, type SessionStore, type StoredSession } from './store';

type Listener = (event: LoggedEvent) => void;
type EphemeralListener = (update: EphemeralUpdate) => void;

/** Logged events after which no patch is being dragged any more. */
const ENDS_DRAG: ReadonlySet<EventBody['type']> = new Set([
  'probe.set',
  'view.set',
  'image.set',
  'model.set',
]);

// Each lost race means another server stored an event first; give up only if that goes on and on.
const MAX_CONFLICT_RETRIES = 50;

/**
 * The authority for one session: it owns the log and the sequence. Appends run
 * one at a time; each is folded (so an invalid event never reaches the log),
 * stored, and only then announced to listeners.
 */
export class SessionRoom {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private readonly ephemeralListeners = new Set<EphemeralListener>();
  private pending = 0;
  /** Ephemeral state: presence and the dragged patch, never logged. */
  readonly ephemeral = new EphemeralStore();
  /** performance.now() of the last append or ephemeral change (idle rooms are evicted). */
  lastActive = performance.now();

  private constructor(
    readonly session: StoredSession,
    private readonly store: SessionStore,
    private log: LoggedEvent[],
    private current: SessionState,
  ) {}

  static async load(session: StoredSession, store: SessionStore): Promise<SessionRoom> {
    const log = await store.events(session.id);
    return new SessionRoom(session, store, log, fold(log));
  }

  get state(): SessionState {
    return this.current;
  }

  get id(): string {
    return this.session.id;
  }

  /** Events after `seq`, or null when `seq` is not a point of this log. */
  eventsAfter(seq: number): LoggedEvent[] | null {
    if (seq < 0 || seq > this.current.seq) return null;
    return this.log.slice(seq);
  }

  allEvents(): readonly LoggedEvent[] {
    return this.log;
  }

  /** Resolves when every append queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEphemeral(listener: EphemeralListener): () => void {
    this.ephemeralListeners.add(listener);
    return () => this.ephemeralListeners.delete(listener);
  }

  /** Nobody is connected here, nothing is queued, and nothing happened for `idleMs`. */
  isIdle(idleMs: number, now = performance.now()): boolean {
    return this.pending === 0 && this.ephemeral.connectedSockets === 0 && now - this.lastActive >= idleMs;
  }

  connected(participantId: string): void {
    this.announce(this.ephemeral.connected(participantId));
  }

  disconnected(participantId: string): void {
    this.announce(this.ephemeral.disconnected(participantId));
  }

  said(participantId: string, update: PresenceUpdate): void {
    this.announce(this.ephemeral.said(participantId, update));
  }

  dragged(probe: ProbeDrag['probe']): void {
    this.announce(this.ephemeral.dragged(probe));
  }

  /** An ephemeral update another server made: kept for late joiners here, not announced again. */
  applyRemote(update: EphemeralUpdate): void {
    this.ephemeral.apply(update);
  }

  private announce(update: EphemeralUpdate | null): void {
    this.lastActive = performance.now();
    if (!update) return;
    for (const listener of this.ephemeralListeners) listener(update);
  }

  append(actor: string | null, body: EventBody): Promise<LoggedEvent> {
    this.pending++;
    const run = this.tail
      .then(() => this.appendNow(actor, body))
      .finally(() => {
        this.pending--;
        this.lastActive = performance.now();
      });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(actor: string | null, body: EventBody): Promise<LoggedEvent> {
    for (let attempt = 0; ; attempt++) {
      const event: LoggedEvent = { seq: this.current.seq + 1, at: new Date().toISOString(), actor, body };
      const next = reduce(this.current, event);
      try {
        await this.store.append(this.session.id, event);
      } catch (error) {
        if (!(error instanceof SeqConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        await this.catchUp();
        // A little jitter, so two servers racing for the same session take turns.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        continue;
      }
      this.log.push(event);
      this.current = next;
      for (const listener of this.listeners) listener(event);
      if (ENDS_DRAG.has(body.type)) this.dragged(null);
      return event;
    }
  }

  /**
   * Folds what other servers appended to this session. Their clients already got
   * those events from the server that stored them, so they are not announced again.
   */
  refresh(): Promise<void> {
    const run = this.tail.then(() => this.catchUp());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async catchUp(): Promise<void> {
    const missing = await this.store.events(this.session.id, this.current.seq);
    for (const event of missing) {
      this.current = reduce(this.current, event);
      this.log.push(event);
    }
  }
}
