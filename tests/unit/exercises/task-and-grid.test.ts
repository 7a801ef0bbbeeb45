import { describe, expect, it } from 'vitest';
import { cellIndexBox } from '@/app/_ui/exercise/grid-geometry';
import { defaultProbeAt, taskFromSession } from '@/lib/exercises/task';
import { cellAt, gridInputSize } from '@/lib/protocol/occlusion-grid';
import { initialState, type SessionState } from '@/lib/session/state';

const grid = { rows: 6, cols: 6, patch: 8, stride: 4 };

describe('exercise grid geometry', () => {
  // Cell (r, c) is the stride×stride square centred on its patch: rows start at 2 + 4r.
  it('finds the cell under a point', () => {
    expect(cellAt(grid, { y: 2, x: 2 })).toBe(0);
    expect(cellAt(grid, { y: 5.9, x: 6 })).toBe(1);
    expect(cellAt(grid, { y: 10, x: 14 })).toBe(2 * 6 + 3);
    expect(cellAt(grid, { y: 25.99, x: 25.99 })).toBe(35);
  });

  it('has no cell outside the painted area', () => {
    expect(cellAt(grid, { y: 1.9, x: 10 })).toBeNull();
    expect(cellAt(grid, { y: 10, x: 26 })).toBeNull();
  });

  it('places cell boxes and sizes the input from the grid', () => {
    expect(cellIndexBox(grid, 7)).toEqual([6, 6, 10, 10]);
    expect(gridInputSize(grid)).toEqual({ height: 28, width: 28 });
  });
});

describe('taskFromSession', () => {
  const session = (patch: Partial<SessionState>): SessionState => ({
    ...initialState(),
    modelId: 'mnist-cnn',
    imageId: 'mnist/001-7.png',
    ...patch,
  });
  const input = { height: 28, width: 28 };

  it('poses its own grid, not the live view’s, with the session’s fill and class', () => {
    const state = session({ occlusion: { patch: 8, stride: 4, fill: 'zero', classIndex: 3 } });
    expect(taskFromSession('occlusion', state, input, 5, { patch: 4, stride: 4 })).toEqual({
      task: {
        kind: 'occlusion',
        modelId: 'mnist-cnn',
        imageId: 'mnist/001-7.png',
        patch: 4,
        stride: 4,
        fill: 'zero',
        classIndex: 3,
        rows: 7,
        cols: 7,
        topN: 5,
      },
    });
  });

  it('brings N down to the grid', () => {
    const task = taskFromSession('occlusion', session({}), input, 30, { patch: 14, stride: 7 }).task;
    expect(task).toMatchObject({ patch: 14, stride: 7, rows: 3, cols: 3, topN: 9 });
  });

  it('asks for an image, and for a patch position in a probe exercise', () => {
    const grid = { patch: 4, stride: 4 };
    expect(taskFromSession('occlusion', session({ imageId: null }), input, 5, grid).problem).toMatch(/image/);
    expect(taskFromSession('probe', session({}), input, 5, null).problem).toMatch(/Place the patch/);
    // The exercise's own position, not the live patch's.
    const live = session({ probe: { y: 0, x: 0 } });
    expect(taskFromSession('probe', live, input, 5, null, { y: 4, x: 9 }).task).toMatchObject({
      kind: 'probe',
      y: 4,
      x: 9,
      patch: 8,
    });
  });

  it('starts a probe exercise away from the live patch, whose probability the class has seen', () => {
    expect(defaultProbeAt(8, input, null)).toEqual({ y: 10, x: 10 });
    expect(defaultProbeAt(8, input, { y: 3, x: 3 })).toEqual({ y: 10, x: 10 });
    expect(defaultProbeAt(8, input, { y: 10, x: 10 })).toEqual({ y: 10, x: 14 });
    // Positions are kept where the patch's centre stays on the image.
    expect(taskFromSession('probe', session({}), input, 5, null, { y: 99, x: -50 }).task).toMatchObject({
      y: 23,
      x: -4,
    });
  });

  it('refuses a grid too fine to paint, or none at all', () => {
    const fine = { patch: 2, stride: 1 };
    expect(taskFromSession('occlusion', session({}), input, 5, fine).problem).toMatch(/too fine/);
    expect(taskFromSession('occlusion', session({}), input, 5, null).problem).toMatch(/no grid/);
  });
});
