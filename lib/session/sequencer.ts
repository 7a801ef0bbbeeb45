import type { LoggedEvent } from '../protocol/events';
import { reduce } from './reducer';
import type { SessionState } from './state';

/**
 * Folds events in seq order even when they arrive out of order (with several
 * servers, two broadcasts can cross). Later events wait until the gap fills;
 * repeats are dropped. `waiting` tells the caller a gap is open, so it can
 * resume from the server if the gap does not close by itself.
 */
export class Sequencer {
  private readonly pending = new Map<number, LoggedEvent>();

  constructor(private current: SessionState) {}

  get state(): SessionState {
    return this.current;
  }

  get waiting(): boolean {
    return this.pending.size > 0;
  }

  accept(event: LoggedEvent): SessionState {
    if (event.seq > this.current.seq) this.pending.set(event.seq, event);
    return this.drain();
  }

  /** A fresher state (a resume or snapshot): keep only what follows it. */
  reset(state: SessionState): SessionState {
    this.current = state;
    for (const seq of [...this.pending.keys()]) if (seq <= state.seq) this.pending.delete(seq);
    return this.drain();
  }

  private drain(): SessionState {
    for (
      let next = this.pending.get(this.current.seq + 1);
      next;
      next = this.pending.get(this.current.seq + 1)
    ) {
      this.pending.delete(next.seq);
      this.current = reduce(this.current, next);
    }
    return this.current;
  }
}
