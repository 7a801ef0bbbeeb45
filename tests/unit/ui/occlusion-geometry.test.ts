import { describe, expect, it } from 'vitest';
import { dropChecksum, maxDrop, moveProbeByKey, probeAt } from '@/app/_ui/viz/occlusion-geometry';
import { cellBox, gridExtent } from '@/lib/protocol/occlusion-grid';

const map = { rows: 3, cols: 4, patch: 8, stride: 4 };

describe('occlusion cells', () => {
  it('paints each cell as a stride-sized square centred on its patch', () => {
    expect(cellBox(map, 0, 0)).toEqual([2, 2, 6, 6]);
    expect(cellBox(map, 2, 3)).toEqual([10, 14, 14, 18]);
  });

  it('tiles without gaps: the extent is the union of the cells', () => {
    expect(gridExtent(map)).toEqual([2, 2, 14, 18]);
  });
});

describe('probe placement', () => {
  const image = { height: 32, width: 32 };

  it('centres the patch on the pointer in whole pixels', () => {
    expect(probeAt({ y: 10.2, x: 20.9 }, 8, image)).toEqual({ y: 6, x: 17 });
  });

  it('lets the patch hang over the edge but keeps its centre inside', () => {
    expect(probeAt({ y: -5, x: 40 }, 8, image)).toEqual({ y: -4, x: 27 });
  });

  it('moves with arrow keys within the same limits', () => {
    expect(moveProbeByKey({ y: 0, x: 0 }, 'ArrowRight', 4, 8, image)).toEqual({ y: 0, x: 4 });
    expect(moveProbeByKey({ y: -2, x: 0 }, 'ArrowUp', 4, 8, image)).toEqual({ y: -4, x: 0 });
    expect(moveProbeByKey({ y: 0, x: 0 }, 'a', 4, 8, image)).toBeNull();
  });
});

describe('drop numbers', () => {
  it('finds the largest positive drop', () => {
    expect(maxDrop([0.1, -0.5, 0.3])).toBeCloseTo(0.3);
    expect(maxDrop([-0.1, -0.2])).toBe(1e-6);
  });

  it('gives equal checksums for maps equal to 1e-3 and different ones otherwise', () => {
    const a = Float32Array.from([0.1234, 0.5, -0.0002, 0]);
    const b = Float32Array.from([0.12336, 0.50001, 0.0001, -0]);
    expect(dropChecksum(a)).toBe(dropChecksum(b));
    expect(dropChecksum(a)).toMatch(/^[0-9a-f]{8}$/);
    expect(dropChecksum(Float32Array.from([0.124, 0.5, 0, 0]))).not.toBe(dropChecksum(a));
    // Order matters: a transposed map is a different map.
    expect(dropChecksum([0.5, 0.1])).not.toBe(dropChecksum([0.1, 0.5]));
  });
});
