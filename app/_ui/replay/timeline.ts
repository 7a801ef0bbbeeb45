import type { LoggedEvent } from '@/lib/protocol/events';
import { reduce } from '@/lib/session/reducer';
import { initialState, type SessionState } from '@/lib/session/state';

export interface Marker {
  seq: number;
  /** Milliseconds from the first event. */
  t: number;
  kind: 'view' | 'exercise' | 'join' | 'model' | 'image';
  label: string;
}

/** A recording as a function of time: which events had happened t ms after it began. */
export class Timeline {
  readonly start: number;
  readonly duration: number;
  private readonly times: number[];
  private readonly states: SessionState[] = [initialState()];

  constructor(readonly events: readonly LoggedEvent[]) {
    this.times = events.map((e) => Date.parse(e.at));
    this.start = this.times[0] ?? 0;
    this.duration = Math.max(0, (this.times.at(-1) ?? this.start) - this.start);
  }

  /** How many events had happened by t (events at exactly t included). */
  countAt(t: number): number {
    const at = this.start + t;
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  timeOf(seq: number): number {
    const index = this.events.findIndex((e) => e.seq === seq);
    return index < 0 ? 0 : this.times[index] - this.start;
  }

  /** The state after the first `count` events: the same fold as the live session, memoised. */
  stateAfter(count: number): SessionState {
    const n = Math.max(0, Math.min(count, this.events.length));
    for (let i = this.states.length; i <= n; i++)
      this.states.push(reduce(this.states[i - 1], this.events[i - 1]));
    return this.states[n];
  }

  markers(): Marker[] {
    const markers: Marker[] = [];
    let state = initialState();
    this.events.forEach((event, i) => {
      state = reduce(state, event);
      const t = this.times[i] - this.start;
      const { body } = event;
      if (body.type === 'view.set')
        markers.push({ seq: event.seq, t, kind: 'view', label: `View: ${body.view}` });
      else if (body.type === 'model.set')
        markers.push({ seq: event.seq, t, kind: 'model', label: `Model: ${body.modelId}` });
      else if (body.type === 'image.set')
        markers.push({ seq: event.seq, t, kind: 'image', label: `Image: ${body.imageId}` });
      else if (body.type === 'participant.joined' && body.role === 'student') {
        markers.push({ seq: event.seq, t, kind: 'join', label: `${body.name} joined` });
      } else if (body.type.startsWith('exercise.')) {
        markers.push({
          seq: event.seq,
          t,
          kind: 'exercise',
          label: body.type.replace('exercise.', 'Exercise: '),
        });
      }
    });
    return markers;
  }
}

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export function formatTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
