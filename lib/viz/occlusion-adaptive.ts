// Adaptive drill-down over an occlusion grid (after Krypton): compute a coarse grid of cells, then,
// level by level, halve the step and compute a new cell only where a coarse cell around it dropped by
// at least `threshold`; elsewhere the cell is interpolated (bilinearly) from the cells around it.

export interface DrillDownOptions {
  /** Step of the first, coarse level in cells (a power of two: each level halves it). */
  step: number;
  /** A cell is computed when a bracketing coarser cell has |drop| ≥ threshold. */
  threshold: number;
}

export interface DrillDownRun extends DrillDownOptions {
  rows: number;
  cols: number;
  /** Drops already computed (a coarse map shown first), by row-major cell. */
  known?: ReadonlyMap<number, number>;
  /** Sees the coarse drops first (the cells on the first level's lines), then each level's. */
  onLevel?: (level: DrillDownLevel) => void;
}

/** Computes the drops of the given row-major cells, in order. */
export type CellDrops = (cells: number[]) => Promise<Float32Array>;

export interface DrillDownResult {
  drop: Float32Array;
  /** 1 where the cell was computed, 0 where interpolated. */
  computed: Uint8Array;
}

/** Where the drill-down stands after a level. */
export interface DrillDownLevel {
  step: number;
  /** Cells computed or interpolated so far. */
  decided: number;
  computed: number;
  /** The drops decided so far (others 0); read it during the call only. */
  drop: Float32Array;
}

/** Lines of a level along one side: 0, step, 2·step, … and the last line, so every cell is bracketed. */
export function levelLines(size: number, step: number): number[] {
  const lines: number[] = [];
  for (let i = 0; i < size; i += step) lines.push(i);
  if (lines[lines.length - 1] !== size - 1) lines.push(size - 1);
  return lines;
}

/** The two neighbouring lines of `lines` (sorted) around i; both i when i is on a line. */
export function bracket(lines: readonly number[], i: number): [number, number] {
  let lo = 0;
  let hi = lines.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] <= i) lo = mid;
    else hi = mid;
  }
  if (lines[lo] === i) return [i, i];
  if (lines[hi] === i) return [i, i];
  return [lines[lo], lines[hi]];
}

/** Drills down from the coarse level to single cells, asking `dropsOf` for the cells it computes. */
export async function drillDown(dropsOf: CellDrops, options: DrillDownRun): Promise<DrillDownResult> {
  const { rows, cols, onLevel } = options;
  const step = Math.max(1, Math.floor(options.step));
  if ((step & (step - 1)) !== 0)
    throw new RangeError(`the drill-down step must be a power of two, got ${step}`);
  const drop = new Float32Array(rows * cols);
  const known = new Uint8Array(rows * cols);
  const computed = new Uint8Array(rows * cols);
  let decided = 0;
  let computedCount = 0;

  const compute = async (cells: number[]) => {
    const values = await dropsOf(cells);
    cells.forEach((cell, i) => {
      drop[cell] = values[i];
      known[cell] = 1;
      computed[cell] = 1;
    });
    decided += cells.length;
    computedCount += cells.length;
  };

  for (const [cell, value] of options.known ?? []) {
    drop[cell] = value;
    known[cell] = 1;
    computed[cell] = 1;
    decided++;
    computedCount++;
  }
  let lineRows = levelLines(rows, step);
  let lineCols = levelLines(cols, step);
  const first: number[] = [];
  for (const r of lineRows) for (const c of lineCols) if (!known[r * cols + c]) first.push(r * cols + c);
  await compute(first);
  onLevel?.({ step, decided, computed: computedCount, drop });

  for (let s = step >> 1; ; s >>= 1) {
    const level = Math.max(1, s);
    const nextRows = levelLines(rows, level);
    const nextCols = levelLines(cols, level);
    const todo: number[] = [];
    for (const r of nextRows) {
      const [r0, r1] = bracket(lineRows, r);
      const ty = r1 === r0 ? 0 : (r - r0) / (r1 - r0);
      for (const c of nextCols) {
        const cell = r * cols + c;
        if (known[cell]) continue;
        const [c0, c1] = bracket(lineCols, c);
        const tx = c1 === c0 ? 0 : (c - c0) / (c1 - c0);
        const a = drop[r0 * cols + c0];
        const b = drop[r0 * cols + c1];
        const d = drop[r1 * cols + c0];
        const e = drop[r1 * cols + c1];
        const large = Math.max(Math.abs(a), Math.abs(b), Math.abs(d), Math.abs(e)) >= options.threshold;
        if (large) {
          todo.push(cell);
        } else {
          drop[cell] = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * d + tx * e);
          known[cell] = 1;
          decided++;
        }
      }
    }
    await compute(todo);
    onLevel?.({ step: level, decided, computed: computedCount, drop });
    lineRows = nextRows;
    lineCols = nextCols;
    if (level === 1) break;
  }
  return { drop, computed };
}
