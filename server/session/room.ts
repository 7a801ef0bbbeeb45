import type { EventBody, LoggedEvent } from '../../lib/protocol/events';
import { fold, reduce } from '../../lib/session/reducer';
import type { SessionState } from '../../lib/session/state';
import { SeqConflictError, type SessionStore, type StoredSession } from './store';

type Listener = (event: LoggedEvent) => void;

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

  append(actor: string | null, body: EventBody): Promise<LoggedEvent> {
    const run = this.tail.then(() => this.appendNow(actor, body));
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
