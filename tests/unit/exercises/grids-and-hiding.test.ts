import { describe, expect, it } from 'vitest';
import { cellPixels, MIN_CELL_PX, paintRoom, smallestCells } from '@/app/_ui/exercise/paint-size';
import { defaultGrid, paintableGrids } from '@/lib/exercises/grids';
import { exerciseHiding, revealsTask } from '@/lib/exercises/hidden';
import { truthRequest } from '@/lib/exercises/requests';
import type { ProbeTask } from '@/lib/protocol/exercise';
import { initialState, type SessionState } from '@/lib/session/state';
import { occlusionTask } from '../../helpers/exercise-tasks';

const digits = { height: 28, width: 28 };
const photo = { height: 224, width: 224 };

describe('paintable grids', () => {
  it('offers only grids of 3 to 16 cells a side, one per shape, fewest cells first', () => {
    for (const input of [digits, photo, { height: 96, width: 160 }]) {
      const grids = paintableGrids(input, { patch: 8, stride: 4 });
      expect(grids.length).toBeGreaterThan(3);
      const shapes = grids.map((g) => `${g.rows}x${g.cols}`);
      expect(new Set(shapes).size).toBe(shapes.length);
      for (const g of grids) {
        expect(Math.max(g.rows, g.cols)).toBeLessThanOrEqual(16);
        expect(Math.min(g.rows, g.cols)).toBeGreaterThanOrEqual(3);
        // What the server checks: the grid these settings give on this input.
        expect(Math.floor((input.height - g.patch) / g.stride) + 1).toBe(g.rows);
        expect(Math.floor((input.width - g.patch) / g.stride) + 1).toBe(g.cols);
      }
      const cells = grids.map((g) => g.rows * g.cols);
      expect(cells).toEqual([...cells].sort((a, b) => a - b));
    }
  });

  it('marks the live view’s grid as seen and never offers it first', () => {
    // The digits session's live default (patch 8, stride 4) is a 6×6 grid.
    const grids = paintableGrids(digits, { patch: 8, stride: 4 });
    expect(grids.find((g) => g.seen)).toMatchObject({ rows: 6, cols: 6, patch: 8, stride: 4 });
    const first = defaultGrid(grids);
    expect(first?.seen).toBe(false);
    expect(Math.min(first!.rows, first!.cols)).toBeGreaterThanOrEqual(6);
    // A live view far finer than any paintable grid (the 55×55 of a 224 px photo) is never among them.
    expect(paintableGrids(photo, { patch: 8, stride: 4 }).some((g) => g.seen)).toBe(false);
  });
});

describe('cell sizes on students’ screens', () => {
  it('gives the cell side in CSS px from the paint area a window leaves', () => {
    expect(paintRoom(1920)).toBeGreaterThan(480);
    // 16 cells of 14 px on a 224 px photo at the full 480 px: 30 px each.
    expect(cellPixels({ stride: 14 }, photo, 1920)).toBeCloseTo(30, 9);
    // A 375 px phone leaves 307 px: 14 · 307 / 224 ≈ 19 px, under the limit.
    expect(cellPixels({ stride: 14 }, photo, 375)).toBeLessThan(MIN_CELL_PX);
  });

  it('reports the narrowest screen and how many are under the limit', () => {
    expect(smallestCells({ stride: 14 }, photo, [])).toBeNull();
    expect(smallestCells({ stride: 14 }, photo, [1920, 375, 360, 1280])).toMatchObject({
      screenWidth: 360,
      under: 2,
    });
    expect(smallestCells({ stride: 28 }, photo, [375])?.under).toBe(0);
  });
});

describe('what an open exercise hides', () => {
  const task = occlusionTask({ imageId: 'mnist/001-7.png', patch: 4, stride: 4 });
  const probe: ProbeTask = { ...truthRequest(task), kind: 'probe', y: 8, x: 4 } as ProbeTask;

  it('hides the truth however it is asked for, and nothing else', () => {
    const truth = truthRequest(task);
    expect(revealsTask(truth, task)).toBe(true);
    expect(revealsTask({ ...truth, classIndex: 7, mode: 'projective' }, task)).toBe(true);
    expect(revealsTask({ ...truth, stride: 2 }, task)).toBe(false);
    expect(revealsTask({ ...truth, imageId: 'mnist/002-6.png' }, task)).toBe(false);
    expect(revealsTask({ ...truth, fill: 'zero' }, task)).toBe(false);
    expect(revealsTask({ kind: 'predict', modelId: 'mnist-cnn', imageId: task.imageId }, task)).toBe(false);
    const probed = truthRequest(probe);
    expect(revealsTask(probed, probe)).toBe(true);
    expect(revealsTask({ ...probed, x: 5 }, probe)).toBe(false);
  });

  it('hides it while the exercise is open or closed, not once revealed', () => {
    const exercise = {
      id: 4,
      task,
      prompt: 'Where?',
      startedAt: '2026-01-01T00:00:00.000Z',
      deadline: '2026-01-01T00:01:00.000Z',
      phase: 'open' as const,
      answered: [],
      answers: {},
      truth: null,
      results: [],
      leaderboard: false,
      dismissed: false,
    };
    const state = (phase: 'open' | 'closed' | 'revealed'): SessionState => ({
      ...initialState(),
      exercises: [{ ...exercise, phase }],
    });
    expect(exerciseHiding(state('open'), truthRequest(task))).toBe(4);
    expect(exerciseHiding(state('closed'), truthRequest(task))).toBe(4);
    expect(exerciseHiding(state('revealed'), truthRequest(task))).toBeNull();
    expect(exerciseHiding(initialState(), truthRequest(task))).toBeNull();
  });
});
