import { describe, expect, it } from 'vitest';
import { bracket, drillDown, levelLines } from '@/lib/viz/occlusion-adaptive';

/** A smooth bump with a sharp spike: drops the drill-down must find. */
function field(rows: number, cols: number): Float32Array {
  const d = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) d[r * cols + c] = 0.5 * Math.exp(-((r - 3) ** 2 + (c - 8) ** 2) / 6);
  }
  d[7 * cols + 2] = 0.3;
  return d;
}

function counting(truth: Float32Array) {
  const calls: number[][] = [];
  const dropsOf = async (cells: number[]) => {
    calls.push(cells);
    return Float32Array.from(cells, (c) => truth[c]);
  };
  return { calls, dropsOf };
}

describe('adaptive drill-down', () => {
  it('brackets every cell between lines of the level above', () => {
    expect(levelLines(10, 4)).toEqual([0, 4, 8, 9]);
    expect(levelLines(9, 4)).toEqual([0, 4, 8]);
    expect(bracket([0, 4, 8, 9], 5)).toEqual([4, 8]);
    expect(bracket([0, 4, 8, 9], 8)).toEqual([8, 8]);
    expect(bracket([0, 4, 8, 9], 9)).toEqual([9, 9]);
  });

  it('computes every cell once with a zero threshold: the exact map', async () => {
    const truth = field(11, 13);
    const { calls, dropsOf } = counting(truth);
    const { drop, computed } = await drillDown(dropsOf, { rows: 11, cols: 13, step: 4, threshold: 0 });
    expect(Array.from(drop)).toEqual(Array.from(truth));
    expect(computed.every((c) => c === 1)).toBe(true);
    const all = calls.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('interpolates where the coarse drops are small and computes around large ones', async () => {
    const truth = field(11, 13);
    const { dropsOf } = counting(truth);
    const levels: number[] = [];
    const { drop, computed } = await drillDown(dropsOf, {
      rows: 11,
      cols: 13,
      step: 2,
      threshold: 0.05,
      onLevel: (l) => levels.push(l.step),
    });
    expect(levels).toEqual([2, 1]);
    // Cells on the coarse lines are exact; the peak's neighbourhood is computed, far corners interpolated.
    expect(drop[3 * 13 + 8]).toBe(truth[3 * 13 + 8]);
    expect(computed[3 * 13 + 9]).toBe(1);
    expect(computed[9 * 13 + 1]).toBe(0);
    let interpolated = 0;
    for (let i = 0; i < drop.length; i++) {
      if (computed[i]) expect(drop[i]).toBe(truth[i]);
      else {
        interpolated++;
        expect(Math.abs(drop[i])).toBeLessThan(0.05);
      }
    }
    expect(interpolated).toBeGreaterThan(20);
  });

  it('starts from cells already known and does not compute them again', async () => {
    const truth = field(9, 9);
    const { calls, dropsOf } = counting(truth);
    const known = new Map(
      [0, 4, 8].flatMap((r) => [0, 4, 8].map((c) => [r * 9 + c, truth[r * 9 + c]] as const)),
    );
    await drillDown(dropsOf, { rows: 9, cols: 9, step: 2, threshold: 0, known });
    const all = calls.flat();
    expect(all.some((c) => known.has(c))).toBe(false);
    expect(all.length).toBe(81 - known.size);
  });

  it('refuses a step that is not a power of two', async () => {
    await expect(
      drillDown(async (c) => new Float32Array(c.length), { rows: 5, cols: 5, step: 3, threshold: 0 }),
    ).rejects.toThrow(/power of two/);
  });
});
