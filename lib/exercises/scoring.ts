// How predictions are scored. Every score is in 0..1, higher is better; docs/exercises.md explains the choices.
import type { ExerciseScore } from '../protocol/exercise';

export interface TopCells {
  /** Ascending cell indices. */
  cells: number[];
  /** The N-th largest drop; -Infinity when there are no cells. */
  threshold: number;
}

/**
 * The cells where covering the image hurts most: the N largest drops, plus
 * every cell tied with the N-th, so a tie is never split by cell order.
 * N larger than the grid takes the whole grid; NaN drops are never top.
 */
export function topCells(drop: ArrayLike<number>, n: number): TopCells {
  const take = Math.min(Math.max(0, Math.floor(n)), drop.length);
  if (take === 0) return { cells: [], threshold: Number.NEGATIVE_INFINITY };
  const value = (i: number) => (Number.isNaN(drop[i]) ? Number.NEGATIVE_INFINITY : drop[i]);
  const order = Array.from({ length: drop.length }, (_, i) => i).sort((a, b) => value(b) - value(a) || a - b);
  const threshold = value(order[take - 1]);
  const cells: number[] = [];
  for (let i = 0; i < drop.length; i++) if (value(i) >= threshold) cells.push(i);
  return { cells, threshold };
}

/**
 * Top-N overlap: |P ∩ T| / min(N, cells), where P is the painted set (at most
 * N cells) and T the top cells. Painting exactly the true top N scores 1;
 * painting nothing, or only cells outside T, scores 0.
 */
export function overlapScore(
  painted: readonly number[],
  top: readonly number[],
  n: number,
  cellCount: number,
): { score: number; hits: number } {
  const possible = Math.min(n, cellCount);
  const truth = new Set(top);
  const hits = new Set(painted.filter((cell) => truth.has(cell))).size;
  return { score: possible > 0 ? Math.min(hits, possible) / possible : 0, hits };
}

/** Ranks 1..n with ties given their average rank (the usual convention for Spearman's ρ). */
export function averageRanks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson correlation of the average ranks; null when either side has no spread. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} and ${b.length}`);
  if (a.length < 2) return null;
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (a.length + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  if (va === 0 || vb === 0) return null;
  return Math.max(-1, Math.min(1, cov / Math.sqrt(va * vb)));
}

/**
 * How well a painting ranks the cells: ρ between "painted" (1 / 0) and the
 * drops. Shown beside the overlap; null for an empty or full painting.
 */
export function paintingRankAgreement(painted: readonly number[], drop: ArrayLike<number>): number | null {
  const indicator = new Array<number>(drop.length).fill(0);
  for (const cell of painted) if (cell >= 0 && cell < drop.length) indicator[cell] = 1;
  const finite = Array.from(drop, (d) => (Number.isNaN(d) ? Number.NEGATIVE_INFINITY : d));
  return spearman(indicator, finite);
}

/** What a near miss earns, against 1 for a painted top cell. */
export const NEAR_CREDIT = 0.5;

/** Whether two row-major cells of a grid `cols` wide touch, sides or corners. */
export function cellsTouch(a: number, b: number, cols: number): boolean {
  const dr = Math.abs(Math.floor(a / cols) - Math.floor(b / cols));
  const dc = Math.abs((a % cols) - (b % cols));
  return a !== b && dr <= 1 && dc <= 1;
}

/**
 * Near misses: painted cells outside the top cells, each paired with a different top cell it touches
 * (sides or corners) that the painting did not hit. The largest such pairing counts (Kuhn's augmenting
 * paths), so five cells around one top cell earn one near miss, not five.
 */
export function nearMisses(painted: readonly number[], top: readonly number[], cols: number): number {
  const truth = new Set(top);
  const paintedSet = new Set(painted);
  const misses = [...paintedSet].filter((cell) => !truth.has(cell));
  const open = top.filter((cell) => !paintedSet.has(cell));
  const partner = new Map<number, number>(); // open top cell → the miss paired with it
  const tryPair = (miss: number, visited: Set<number>): boolean => {
    for (const cell of open) {
      if (visited.has(cell) || !cellsTouch(miss, cell, cols)) continue;
      visited.add(cell);
      const current = partner.get(cell);
      if (current === undefined || tryPair(current, visited)) {
        partner.set(cell, miss);
        return true;
      }
    }
    return false;
  };
  let pairs = 0;
  for (const miss of misses) if (tryPair(miss, new Set())) pairs++;
  return pairs;
}

/**
 * Score = (hits + ½ · near misses) / min(N, cells), at most 1; see docs/exercises.md. With `cols` absent
 * (a grid of unknown shape) there are no near misses.
 */
export function scoreOcclusionAnswer(
  painted: readonly number[],
  drop: ArrayLike<number>,
  top: TopCells,
  n: number,
  cols?: number,
): Extract<ExerciseScore, { kind: 'occlusion' }> {
  const { hits } = overlapScore(painted, top.cells, n, drop.length);
  const near = cols ? nearMisses(painted, top.cells, cols) : 0;
  const possible = Math.min(n, drop.length);
  const score = possible > 0 ? Math.min(1, (Math.min(hits, possible) + NEAR_CREDIT * near) / possible) : 0;
  return { kind: 'occlusion', score, hits, near, rho: paintingRankAgreement(painted, drop) };
}

/**
 * A probability guess in percent against the truth (0..1): the absolute
 * error in percentage points, and score = 1 − error / 100.
 */
export function scoreProbeAnswer(percent: number, prob: number): Extract<ExerciseScore, { kind: 'probe' }> {
  const error = Math.min(100, Math.abs(percent - prob * 100));
  return { kind: 'probe', score: 1 - error / 100, error };
}
