import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  cellsTouch,
  nearMisses,
  overlapScore,
  paintingRankAgreement,
  scoreOcclusionAnswer,
  scoreProbeAnswer,
  spearman,
  topCells,
} from '@/lib/exercises/scoring';

describe('topCells', () => {
  it('takes the N largest drops, in ascending cell order', () => {
    expect(topCells([0.1, 0.5, 0.3, 0.5, 0], 3)).toEqual({ cells: [1, 2, 3], threshold: 0.3 });
  });

  it('keeps two cells tied for first when N is 2', () => {
    expect(topCells([0.1, 0.5, 0.3, 0.5, 0], 2)).toEqual({ cells: [1, 3], threshold: 0.5 });
  });

  it('counts every cell tied with the N-th, so a tie is not split by cell order', () => {
    expect(topCells([0.4, 0.2, 0.2, 0.1], 2)).toEqual({ cells: [0, 1, 2], threshold: 0.2 });
    expect(topCells([0, 0, 0, 0], 1)).toEqual({ cells: [0, 1, 2, 3], threshold: 0 });
  });

  it('takes the whole grid when N is larger than it', () => {
    expect(topCells([0.1, 0.2], 5)).toEqual({ cells: [0, 1], threshold: 0.1 });
  });

  it('has no top cells for N = 0 or an empty grid, and never ranks NaN', () => {
    expect(topCells([0.3, 0.1], 0)).toEqual({ cells: [], threshold: Number.NEGATIVE_INFINITY });
    expect(topCells([], 3)).toEqual({ cells: [], threshold: Number.NEGATIVE_INFINITY });
    expect(topCells([Number.NaN, 0.3, 0.1], 2)).toEqual({ cells: [1, 2], threshold: 0.1 });
  });

  it('ranks negative drops (covering helped) below every positive one', () => {
    expect(topCells(Float32Array.from([-0.2, 0.1, -0.05]), 2).cells).toEqual([1, 2]);
  });
});

describe('overlapScore: |P ∩ T| / min(N, cells)', () => {
  it('scores the exact top N as 1 and half of it as 0.5', () => {
    expect(overlapScore([1, 3], [1, 3], 2, 5)).toEqual({ score: 1, hits: 2 });
    expect(overlapScore([1, 2], [1, 3], 2, 5)).toEqual({ score: 0.5, hits: 1 });
  });

  it('scores an empty answer, or cells all outside the top, as 0', () => {
    expect(overlapScore([], [1, 3], 2, 5)).toEqual({ score: 0, hits: 0 });
    expect(overlapScore([0, 4], [1, 3], 2, 5)).toEqual({ score: 0, hits: 0 });
  });

  it('gives full marks for any N cells among tied top cells', () => {
    expect(overlapScore([1, 2], [0, 1, 2], 2, 4)).toEqual({ score: 1, hits: 2 });
    expect(overlapScore([0], [0, 1, 2], 2, 4)).toEqual({ score: 0.5, hits: 1 });
  });

  it('divides by the grid size when N is larger than the grid', () => {
    expect(overlapScore([0], [0, 1], 5, 2)).toEqual({ score: 0.5, hits: 1 });
    expect(overlapScore([0, 1], [0, 1], 5, 2)).toEqual({ score: 1, hits: 2 });
  });

  it('counts a repeated cell once and scores an empty grid as 0', () => {
    expect(overlapScore([1, 1], [1, 3], 2, 5)).toEqual({ score: 0.5, hits: 1 });
    expect(overlapScore([], [], 3, 0)).toEqual({ score: 0, hits: 0 });
  });
});

describe('Spearman rank correlation', () => {
  it('gives tied values their average rank', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(averageRanks([7, 7, 7])).toEqual([2, 2, 2]);
  });

  it('is 1 for the same order and -1 for the reverse', () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('is undefined (null) without spread or with fewer than two cells, and refuses unequal lengths', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([4], [2])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });

  // Painted [1, 0, 0, 0] has ranks [4, 2, 2, 2]; drops [.4, .3, .2, .1] have [4, 3, 2, 1]; mean 2.5.
  // cov = 1.5·1.5 − .5·.5 + .5·.5 + .5·1.5 = 3, var = 3 and 5: ρ = 3 / √15.
  it('agrees with a hand computation for one painted cell', () => {
    const drops = [0.4, 0.3, 0.2, 0.1];
    expect(paintingRankAgreement([0], drops)).toBeCloseTo(3 / Math.sqrt(15), 12);
    expect(paintingRankAgreement([3], drops)).toBeCloseTo(-3 / Math.sqrt(15), 12);
  });

  it('is null for an empty painting and for painting every cell', () => {
    expect(paintingRankAgreement([], [0.4, 0.3])).toBeNull();
    expect(paintingRankAgreement([0, 1], [0.4, 0.3])).toBeNull();
  });
});

describe('scoring an answer', () => {
  it('combines the overlap with the rank agreement for an occlusion answer', () => {
    const drop = [0.4, 0.3, 0.2, 0.1];
    const score = scoreOcclusionAnswer([0, 2], drop, topCells(drop, 2), 2);
    // Top cells {0, 1}: one hit of two. Ranks painted [3.5, 1.5, 3.5, 1.5] vs [4, 3, 2, 1]:
    // cov = 1·1.5 − 1·.5 + 1·(−.5) − 1·(−1.5) = 2, var 4 and 5: ρ = 2 / √20.
    expect(score).toEqual({ kind: 'occlusion', score: 0.5, hits: 1, near: 0, rho: expect.any(Number) });
    expect(score.rho).toBeCloseTo(2 / Math.sqrt(20), 12);
  });

  it('scores a probability guess by its absolute error in percentage points', () => {
    expect(scoreProbeAnswer(40, 0.45)).toEqual({ kind: 'probe', score: 0.95, error: 5 });
    expect(scoreProbeAnswer(25, 0.25)).toEqual({ kind: 'probe', score: 1, error: 0 });
    expect(scoreProbeAnswer(100, 0)).toEqual({ kind: 'probe', score: 0, error: 100 });
    expect(scoreProbeAnswer(0, 0.875)).toEqual({ kind: 'probe', score: 0.125, error: 87.5 });
  });
});

describe('partial credit for near misses', () => {
  // A 4×4 grid; the true top cells are 5 (r2c2) and 10 (r3c3).
  const cols = 4;
  const drop = Array.from({ length: 16 }, (_, i) => (i === 5 ? 0.5 : i === 10 ? 0.4 : 0.01 * i));
  const top = topCells(drop, 2);

  it('counts cells that touch, by side or corner, and nothing farther', () => {
    expect(cellsTouch(5, 6, cols)).toBe(true);
    expect(cellsTouch(5, 0, cols)).toBe(true);
    expect(cellsTouch(5, 7, cols)).toBe(false);
    // Row ends do not wrap: cell 3 (r1c4) and cell 4 (r2c1) are far apart.
    expect(cellsTouch(3, 4, cols)).toBe(false);
    expect(cellsTouch(5, 5, cols)).toBe(false);
  });

  it('pairs each near miss with a different top cell not already hit', () => {
    expect(top.cells).toEqual([5, 10]);
    expect(nearMisses([0], top.cells, cols)).toBe(1);
    // Many cells around one top cell are one near miss, not four.
    expect(nearMisses([0, 1, 2, 4], [5], cols)).toBe(1);
    // Cell 6 touches both 5 and 10; 9 touches both too: the pairing gives each its own.
    expect(nearMisses([6, 9], top.cells, cols)).toBe(2);
    // A top cell that was hit earns no near miss beside it.
    expect(nearMisses([5, 4], [5], cols)).toBe(0);
    expect(nearMisses([15], top.cells, cols)).toBe(1);
    expect(nearMisses([3], top.cells, cols)).toBe(0);
  });

  it('scores (hits + ½ near) / N, one cell off earns half, and reports the count', () => {
    // One cell off each top cell: two near misses of two → 0.5.
    expect(scoreOcclusionAnswer([0, 15], drop, top, 2, cols)).toMatchObject({ score: 0.5, hits: 0, near: 2 });
    // One hit and one near miss → 0.75.
    expect(scoreOcclusionAnswer([5, 11], drop, top, 2, cols)).toMatchObject({
      score: 0.75,
      hits: 1,
      near: 1,
    });
    expect(scoreOcclusionAnswer([5, 10], drop, top, 2, cols)).toMatchObject({ score: 1, hits: 2, near: 0 });
    expect(scoreOcclusionAnswer([3, 12], drop, top, 2, cols)).toMatchObject({ score: 0, near: 0 });
    // Without the grid's width (old callers) there is no near miss.
    expect(scoreOcclusionAnswer([0, 15], drop, top, 2)).toMatchObject({ score: 0, near: 0 });
  });
});
