import { describe, expect, it } from 'vitest';
import { cellIndexBox } from '@/app/_ui/exercise/grid-geometry';
import { taskFromSession } from '@/lib/exercises/task';
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

  it('poses the occlusion view’s own grid', () => {
    expect(taskFromSession('occlusion', session({}), input, 5)).toEqual({
      task: {
        kind: 'occlusion',
        modelId: 'mnist-cnn',
        imageId: 'mnist/001-7.png',
        patch: 8,
        stride: 4,
        fill: 'grey',
        classIndex: null,
        rows: 6,
        cols: 6,
        topN: 5,
      },
    });
  });

  it('clamps the patch to the input like the view does, and N to the grid', () => {
    const task = taskFromSession(
      'occlusion',
      session({ occlusion: { patch: 64, stride: 4, fill: 'zero', classIndex: 3 } }),
      input,
      9,
    ).task;
    expect(task).toMatchObject({ patch: 28, rows: 1, cols: 1, topN: 1, classIndex: 3, fill: 'zero' });
  });

  it('asks for an image, and for a patch position in a probe exercise', () => {
    expect(taskFromSession('occlusion', session({ imageId: null }), input, 5).problem).toMatch(/image/);
    expect(taskFromSession('probe', session({}), input, 5).problem).toMatch(/Place the patch/);
    expect(taskFromSession('probe', session({ probe: { y: 4, x: 9 } }), input, 5).task).toMatchObject({
      kind: 'probe',
      y: 4,
      x: 9,
      patch: 8,
    });
  });

  it('refuses a grid too fine to paint', () => {
    const fine = session({ occlusion: { patch: 2, stride: 1, fill: 'grey', classIndex: null } });
    expect(taskFromSession('occlusion', fine, { height: 224, width: 224 }, 5).problem).toMatch(/too fine/);
  });
});
