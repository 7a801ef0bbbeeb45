import { describe, expect, it } from 'vitest';
import {
  cellAt,
  cellBox,
  cellOrigin,
  clampProbe,
  fitOcclusion,
  gridCells,
  gridInputSize,
  occlusionProblem,
  probeFits,
  probeRange,
} from '@/lib/protocol/occlusion-grid';

const mobilenet = { height: 224, width: 224 };

describe('occlusion grid', () => {
  it('counts patch positions along a side', () => {
    expect(gridCells(224, 8, 4)).toBe(55);
    expect(gridCells(227, 32, 8)).toBe(25);
    expect(gridCells(28, 28, 1)).toBe(1);
    expect(() => gridCells(28, 29, 1)).toThrow(RangeError);
    expect(() => gridCells(28, 0, 1)).toThrow(RangeError);
    expect(() => gridCells(28, 2.5, 1)).toThrow(RangeError);
  });

  it('fits patch and stride to the shorter side of the input', () => {
    expect(fitOcclusion({ patch: 8, stride: 4 }, mobilenet)).toEqual({
      patch: 8,
      stride: 4,
      rows: 55,
      cols: 55,
    });
    expect(fitOcclusion({ patch: 64, stride: 64 }, { height: 28, width: 28 })).toEqual({
      patch: 28,
      stride: 28,
      rows: 1,
      cols: 1,
    });
    expect(fitOcclusion({ patch: 16, stride: 8 }, { height: 64, width: 100 })).toEqual({
      patch: 16,
      stride: 8,
      rows: 7,
      cols: 11,
    });
  });

  it('names what does not fit, and nothing when it fits', () => {
    expect(occlusionProblem({ patch: 8, stride: 4 }, mobilenet)).toBeNull();
    expect(occlusionProblem({ patch: 300, stride: 4 }, mobilenet)).toMatch(/patch/);
    expect(occlusionProblem({ patch: 8, stride: 300 }, mobilenet)).toMatch(/stride/);
  });

  it('maps every pixel of a cell back to that cell', () => {
    const grid = fitOcclusion({ patch: 16, stride: 8 }, { height: 64, width: 64 });
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        const [y0, x0, y1, x1] = cellBox(grid, r, c);
        for (const y of [y0, (y0 + y1) / 2, y1 - 0.01])
          for (const x of [x0, (x0 + x1) / 2, x1 - 0.01])
            expect(cellAt(grid, { y, x })).toBe(r * grid.cols + c);
        const origin = cellOrigin(grid, r, c);
        expect(origin).toEqual({ y: r * 8, x: c * 8 });
      }
    }
    expect(cellAt(grid, { y: 0, x: 0 })).toBeNull();
    expect(gridInputSize(grid)).toEqual({ height: 64, width: 64 });
  });

  it('lets a dragged patch hang over the edge by up to half its size', () => {
    expect(probeRange(8, mobilenet)).toEqual({ min: { y: -4, x: -4 }, max: { y: 219, x: 219 } });
    expect(clampProbe({ y: -30, x: 500 }, 8, mobilenet)).toEqual({ y: -4, x: 219 });
    expect(clampProbe({ y: 10.4, x: 20.6 }, 8, mobilenet)).toEqual({ y: 10, x: 21 });
    expect(probeFits({ y: -4, x: 0 }, 8, mobilenet)).toBe(true);
    expect(probeFits({ y: -5, x: 0 }, 8, mobilenet)).toBe(false);
  });
});
