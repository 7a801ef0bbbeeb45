// Similarity matrix helpers: reordering, pointer-to-cell mapping, the filters in near-duplicate pairs.
import type { SimilarFilters } from '@/lib/viz';

/** The n×n matrix with rows and columns permuted: out[a][b] = matrix[order[a]][order[b]]. */
export function permuteMatrix(matrix: ArrayLike<number>, n: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    const row = order[a] * n;
    for (let b = 0; b < n; b++) out[a * n + b] = matrix[row + order[b]];
  }
  return out;
}

export function identityOrder(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The (row, column) cell under a point of an n×n matrix drawn `side` pixels wide, or null outside it. */
export function matrixCellAt(
  point: { y: number; x: number },
  n: number,
  side: number,
): { row: number; col: number } | null {
  if (point.x < 0 || point.y < 0 || point.x >= side || point.y >= side || n < 1) return null;
  return { row: Math.floor((point.y / side) * n), col: Math.floor((point.x / side) * n) };
}

/** Every filter that appears in a near-duplicate pair, with its partners. */
export function duplicatePartners(pairs: readonly SimilarFilters[]): Map<number, number[]> {
  const partners = new Map<number, number[]>();
  const add = (a: number, b: number) => partners.set(a, [...(partners.get(a) ?? []), b]);
  for (const { i, j } of pairs) {
    add(i, j);
    add(j, i);
  }
  return partners;
}
