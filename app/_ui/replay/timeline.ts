import type { LoggedEvent } from '@/lib/protocol/events';
import { reduce } from '@/lib/session/reducer';
import { initialState, type SessionState } from '@/lib/session/state';

export type MarkerKind = 'view' | 'exercise' | 'upload' | 'join' | 'model' | 'image';

export interface Marker {
  seq: number;
  /** Milliseconds from the first event. */
  t: number;
  kind: MarkerKind;
  label: string;
  /** For image and upload markers: the image, named for people by the page (an upload's original name). */
  imageId?: string;
}

/** Markers close enough on the bar to overlap, shown as one button. */
export interface MarkerGroup {
  t: number;
  markers: Marker[];
}

/** What the chapter list offers to jump to. */
export const CHAPTER_KINDS: ReadonlySet<MarkerKind> = new Set(['view', 'exercise', 'upload']);

const EXERCISE_STEPS: Partial<Record<string, string>> = {
  'exercise.start': 'asked',
  'exercise.revealed': 'revealed',
  'exercise.leaderboard': 'leaderboard',
  'exercise.dismiss': 'put away',
};

/** A recording as a function of time: which events had happened t ms after it began. */
export class Timeline {
  readonly start: number;
  readonly duration: number;
  private readonly times: number[];
  private readonly states: SessionState[] = [initialState()];

  constructor(readonly events: readonly LoggedEvent[]) {
    this.times = events.map((e) => Date.parse(e.at));
    // Clocks can step back (another server appended); play order is log order.
    for (let i = 1; i < this.times.length; i++) this.times[i] = Math.max(this.times[i], this.times[i - 1]);
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

  /** Each event's time, ms from the first. */
  relativeTimes(): number[] {
    return this.times.map((t) => t - this.start);
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
      const { seq, body } = event;
      if (body.type === 'view.set') markers.push({ seq, t, kind: 'view', label: `View: ${body.view}` });
      else if (body.type === 'model.set')
        markers.push({ seq, t, kind: 'model', label: `Model: ${body.modelId}` });
      else if (body.type === 'image.set') {
        const upload = body.imageId.startsWith('uploads/');
        markers.push({
          seq,
          t,
          kind: upload ? 'upload' : 'image',
          label: upload ? 'Uploaded photo' : `Image: ${body.imageId}`,
          imageId: body.imageId,
        });
      } else if (body.type === 'participant.joined' && body.role === 'student') {
        markers.push({ seq, t, kind: 'join', label: `${body.name} joined` });
      } else if (body.type.startsWith('exercise.') && EXERCISE_STEPS[body.type]) {
        const exercise = 'exercise' in body ? body.exercise : seq;
        const number = state.exercises.findIndex((e) => e.id === exercise) + 1;
        const step =
          body.type === 'exercise.leaderboard' && !body.shown
            ? 'leaderboard hidden'
            : EXERCISE_STEPS[body.type];
        markers.push({ seq, t, kind: 'exercise', label: `Exercise ${number}: ${step}` });
      }
    });
    return markers;
  }
}

/**
 * Markers grouped so none overlaps on a bar: a marker closer than `minGap` (ms of recording) to the first of
 * the current group joins it.
 */
export function groupMarkers(markers: readonly Marker[], minGap: number): MarkerGroup[] {
  const groups: MarkerGroup[] = [];
  for (const marker of markers) {
    const last = groups.at(-1);
    if (last && marker.t - last.t < minGap) last.markers.push(marker);
    else groups.push({ t: marker.t, markers: [marker] });
  }
  return groups;
}

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export function formatTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
