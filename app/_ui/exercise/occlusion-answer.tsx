'use client';

import { useState } from 'react';
import type { ExerciseState } from '@/lib/exercises/state';
import { paintLimit } from '@/lib/exercises/state';
import type { OcclusionTask } from '@/lib/protocol/exercise';
import type { PixelImage } from '@/lib/viz';
import type { Dispatch } from '../session/dispatch';
import type { Size } from '../viz/geometry';
import { gridOf } from './grid-geometry';
import { PaintGrid } from './paint-grid';
import { PAINT_DISPLAY } from './paint-size';
import { useSend } from './send';
import { SubmitRow } from './submit-row';

/** A student paints the cells they think matter most and sends them; they can change them until time is up. */
export function OcclusionAnswer({
  exercise,
  task,
  participantId,
  image,
  inputSize,
  closed,
  dispatch,
}: {
  exercise: ExerciseState;
  task: OcclusionTask;
  participantId: string;
  image: PixelImage | null;
  inputSize: Size;
  closed: boolean;
  dispatch: Dispatch | undefined;
}) {
  const own = exercise.answers[participantId];
  const saved = own?.kind === 'occlusion' ? own.cells : null;
  const [painted, setPainted] = useState<Set<number>>(() => new Set(saved ?? []));
  const { send, busy, error } = useSend(dispatch);
  const limit = paintLimit(task);
  const grid = gridOf(task)!;
  const cells = [...painted].sort((a, b) => a - b);
  const unchanged = saved !== null && saved.length === cells.length && saved.every((c) => painted.has(c));

  return (
    <div className="space-y-3">
      <PaintGrid
        image={image}
        inputSize={inputSize}
        grid={grid}
        painted={painted}
        limit={limit}
        onChange={closed ? undefined : setPainted}
        displaySize={PAINT_DISPLAY}
      />
      <p className="text-sm text-slate-700" aria-live="polite">
        {painted.size} of {limit} cells painted
        {painted.size >= limit && !closed && ' — erase one to move it'}.
      </p>
      <SubmitRow
        label={saved === null ? 'Submit answer' : 'Update answer'}
        disabled={closed || busy || unchanged}
        onSubmit={() =>
          void send({ type: 'exercise.answer', exercise: exercise.id, answer: { kind: 'occlusion', cells } })
        }
        extra={
          !closed && painted.size > 0 ? (
            <button
              type="button"
              onClick={() => setPainted(new Set())}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
            >
              Clear
            </button>
          ) : null
        }
        status={
          saved === null
            ? 'Not answered yet.'
            : `Saved: ${saved.length} ${saved.length === 1 ? 'cell' : 'cells'}.`
        }
        error={error?.message}
      />
    </div>
  );
}
