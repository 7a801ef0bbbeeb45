'use client';

import { paintCounts } from '@/lib/exercises/cells';
import { truthRequest } from '@/lib/exercises/requests';
import type { ExerciseState } from '@/lib/exercises/state';
import type { OcclusionTask } from '@/lib/protocol/exercise';
import type { PixelImage } from '@/lib/viz';
import { useComputed } from '../compute/use-computed';
import { ColourBar } from '../viz/colour-bar';
import type { Size } from '../viz/geometry';
import { maxDrop } from '../viz/occlusion-geometry';
import { CellCanvas } from './cell-canvas';
import { COUNT_LUT, DROP_LUT } from './colours';
import { gridOf } from './grid-geometry';
import { ScoreLine } from './score-line';

/** The true map beside the class's combined prediction; a student's own cells outlined on the truth. */
export function OcclusionReveal({
  exercise,
  task,
  participantId,
  image,
  inputSize,
  label,
}: {
  exercise: ExerciseState;
  task: OcclusionTask;
  participantId: string | null;
  image: PixelImage | null;
  inputSize: Size;
  label: string;
}) {
  const map = useComputed(truthRequest(task));
  const drop = map?.result?.drop ?? null;
  const truth = exercise.truth?.kind === 'occlusion' ? exercise.truth : null;
  const grid = gridOf(task)!;
  const counts = paintCounts(Object.values(exercise.answers), task.rows * task.cols);
  const mostPainted = Math.max(1, ...counts);
  const own = participantId ? exercise.answers[participantId] : undefined;
  const mine = own?.kind === 'occlusion' ? own.cells : [];
  const top = truth?.topCells ?? [];
  const result = exercise.results.find((r) => r.participantId === participantId);

  return (
    <div className="space-y-5">
      {participantId && <ScoreLine result={result} topN={task.topN} />}
      <div className="flex flex-wrap gap-8">
        <figure data-testid="exercise-truth" data-top-cells={top.join(',')} className="space-y-2">
          <figcaption className="font-medium text-slate-900">What the model does</figcaption>
          <CellCanvas
            image={image}
            inputSize={inputSize}
            grid={grid}
            heat={drop && { values: drop, max: maxDrop(drop), lut: DROP_LUT }}
            marked={top}
            outlined={mine}
            label={`The true occlusion map; dashed: the top ${task.topN} cells${mine.length ? '; solid: your cells' : ''}`}
          />
          {drop && (
            <ColourBar
              lut={DROP_LUT}
              min={0}
              max={maxDrop(drop)}
              label={`Drop in P(${label}) when covered`}
              width={260}
            />
          )}
          {map?.status === 'loading' && <p className="text-sm text-slate-600">Drawing the map…</p>}
        </figure>
        <figure data-testid="exercise-class-map" data-counts={counts.join(',')} className="space-y-2">
          <figcaption className="font-medium text-slate-900">What the class predicted</figcaption>
          <CellCanvas
            image={image}
            inputSize={inputSize}
            grid={grid}
            heat={{ values: counts, max: mostPainted, lut: COUNT_LUT }}
            marked={top}
            label="How many students painted each cell; dashed: the true top cells"
          />
          <ColourBar
            lut={COUNT_LUT}
            min={0}
            max={mostPainted}
            ticks={mostPainted > 1 ? [0, mostPainted] : [0, 1]}
            format={(v) => String(Math.round(v))}
            label="Students who painted the cell"
            width={260}
          />
        </figure>
      </div>
      <p className="text-sm text-slate-600">
        Dashed white: the true top {task.topN} cells
        {truth?.threshold != null && ` (drop of at least ${truth.threshold.toFixed(3)})`}.
        {mine.length > 0 && (
          <>
            {' '}
            {/* The outline's own cyan is too light for text on white: a darker one of the same hue. */}
            <span className="font-medium text-cyan-800">Solid outline</span>: your cells.
          </>
        )}
      </p>
    </div>
  );
}
