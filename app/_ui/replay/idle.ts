// "Skip idle": a recording plays its events as they happened, but a long stretch with nothing in the log
// (the instructor talking over one view) plays in a moment.

/** A stretch between two events longer than this is idle. */
export const IDLE_GAP_MS = 8_000;
/** How much of an idle stretch still plays: half after the event before it, half before the event after. */
export const IDLE_KEPT_MS = 2_000;

/**
 * Maps recording time (ms from the first event) to play time and back. Without skipping the two are the
 * same; with it, each idle stretch lasts IDLE_KEPT_MS. Both directions are monotone, so seeking and playing
 * agree.
 */
export class PlayClock {
  /** Recording times of the events and the play time each falls at. */
  private readonly at: number[];
  private readonly play: number[];

  constructor(
    times: readonly number[],
    readonly skipIdle: boolean,
  ) {
    this.at = [...times];
    this.play = [];
    let p = 0;
    this.at.forEach((t, i) => {
      if (i > 0) p += this.kept(t - this.at[i - 1]);
      this.play.push(p);
    });
  }

  private kept(gap: number): number {
    return this.skipIdle && gap > IDLE_GAP_MS ? IDLE_KEPT_MS : gap;
  }

  /** How long the whole recording plays. */
  get duration(): number {
    return this.play.at(-1) ?? 0;
  }

  toPlay(t: number): number {
    const i = this.segment(this.at, t);
    if (i < 0) return 0;
    if (i >= this.at.length - 1) return this.duration;
    const [a, b] = [this.at[i], this.at[i + 1]];
    const gap = b - a;
    const kept = this.kept(gap);
    const offset = t - a;
    if (kept === gap) return this.play[i] + offset;
    if (offset <= kept / 2) return this.play[i] + offset;
    if (offset >= gap - kept / 2) return this.play[i] + kept - (gap - offset);
    return this.play[i] + kept / 2;
  }

  fromPlay(p: number): number {
    const i = this.segment(this.play, p);
    if (i < 0) return this.at[0] ?? 0;
    if (i >= this.play.length - 1) return this.at.at(-1) ?? 0;
    const [a, b] = [this.at[i], this.at[i + 1]];
    const gap = b - a;
    const kept = this.kept(gap);
    const offset = p - this.play[i];
    if (kept === gap || offset <= kept / 2) return a + offset;
    return b - (kept - offset);
  }

  /** The last index whose value is at most v (-1 when none). */
  private segment(values: readonly number[], v: number): number {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
