import { describe, expect, it } from 'vitest';
import { groupBySignature } from '@/lib/viz/incremental/batching';

describe('batching patch positions by window signature', () => {
  const rows = ['a', 'a', 'b', 'a', 'b', 'a', 'a', 'a', 'c', 'a'];
  const cols = ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'y', 'x'];

  it('puts every position in exactly one batch of at most batchSize', () => {
    const batches = groupBySignature(rows, cols, { batchSize: 3, minBatch: 2 });
    const all = batches.flat().sort((p, q) => p - q);
    expect(all).toEqual(rows.map((_, i) => i));
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(3);
  });

  it('keeps equal signatures together and splits a group evenly', () => {
    const batches = groupBySignature(rows, cols, { batchSize: 4, minBatch: 2 });
    const key = (i: number) => `${rows[i]}|${cols[i]}`;
    // Group a|x has 7 members: 4 + 3 rather than 4 + 4 + … ; b|x has 2; c|y is alone and packed.
    const uniform = batches.filter((b) => new Set(b.map(key)).size === 1);
    expect(uniform.map((b) => b.length).sort()).toEqual([1, 2, 3, 4]);
  });
});
