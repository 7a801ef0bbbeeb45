'use client';

import type { ExerciseState } from '@/lib/exercises/state';
import { gridInputSize } from '@/lib/protocol/occlusion-grid';
import type { Role } from '@/lib/protocol/primitives';
import type { SessionState } from '@/lib/session/state';
import { useComputed } from '../compute/use-computed';
import { usePixels } from '../compute/use-pixels';
import type { Dispatch } from '../session/dispatch';
import { CellCanvas } from './cell-canvas';
import { ExerciseHeader } from './exercise-header';
import { gridOf } from './grid-geometry';
import { InstructorBar } from './instructor-bar';
import { LeaderboardTable } from './leaderboard-table';
import { OcclusionAnswer } from './occlusion-answer';
import { OcclusionReveal } from './occlusion-reveal';
import { PaintGrid } from './paint-grid';
import { ProbeAnswer } from './probe-answer';
import { ProbeReveal } from './probe-reveal';
import { useTarget } from './target-label';
import { useNow } from './use-now';

/**
 * The exercise on screen, in place of the views (which would show the answer):
 * students answer, the instructor watches the count and reveals; then everyone
 * sees the truth, the class's prediction and, when shown, the leaderboard.
 */
export function ExercisePanel({
  exercise,
  state,
  role,
  participantId,
  dispatch,
  now: replayNow,
}: {
  exercise: ExerciseState;
  state: SessionState;
  /** Absent in a replay: nobody's seat. */
  role?: Role | null;
  participantId: string | null;
  dispatch: Dispatch | undefined;
  /** In a replay: the recording's clock (ms since 1970). The panel then shows every score, as a record. */
  now?: number;
}) {
  const { task } = exercise;
  const info = useComputed({ kind: 'model-info', modelId: task.modelId });
  const image = usePixels(task.modelId, task.imageId);
  const manifest = info?.result?.manifest;
  const grid = gridOf(task);
  const inputSize = image
    ? { height: image.height, width: image.width }
    : (manifest?.inputSize ?? (grid ? gridInputSize(grid) : { height: 28, width: 28 }));
  const { label, cleanProb } = useTarget(task, manifest?.labels ?? []);
  const student = role === 'student' && participantId !== null ? participantId : null;
  const replay = replayNow !== undefined;
  const liveNow = useNow(500, exercise.phase === 'open' && !replay);
  const now = replayNow ?? liveNow;
  const closed = exercise.phase !== 'open' || now > Date.parse(exercise.deadline);
  const revealed = exercise.phase === 'revealed';
  // Each exercise gets fresh answer widgets (their local painting or guess).
  const key = `${exercise.id}`;

  return (
    <section
      data-testid="exercise-panel"
      data-exercise={exercise.id}
      data-phase={exercise.phase}
      data-kind={task.kind}
      aria-label="Exercise"
      className="space-y-5 rounded-xl border-2 border-indigo-200 bg-white p-4 sm:p-6"
    >
      <ExerciseHeader exercise={exercise} state={state} label={label} now={replayNow} />
      {task.kind === 'probe' && (
        <div className="flex flex-wrap items-center gap-6">
          <CellCanvas
            image={image}
            inputSize={inputSize}
            grid={null}
            patch={{ y: task.y, x: task.x, size: task.patch }}
            label={`The image with a grey ${task.patch} px patch at y ${task.y}, x ${task.x}`}
          />
          {cleanProb !== null && (
            <p className="text-lg text-slate-700">
              On the clean image, P({label}) ={' '}
              <span className="font-semibold tabular-nums">{(cleanProb * 100).toFixed(1)}%</span>.
            </p>
          )}
        </div>
      )}
      {!revealed && student && task.kind === 'occlusion' && (
        <OcclusionAnswer
          key={key}
          exercise={exercise}
          task={task}
          participantId={student}
          image={image}
          inputSize={inputSize}
          closed={closed}
          dispatch={dispatch}
        />
      )}
      {!revealed && student && task.kind === 'probe' && (
        <ProbeAnswer
          key={key}
          exercise={exercise}
          participantId={student}
          label={label}
          closed={closed}
          dispatch={dispatch}
        />
      )}
      {!revealed && !student && grid && (
        <PaintGrid image={image} inputSize={inputSize} grid={grid} painted={new Set()} limit={0} />
      )}
      {revealed && task.kind === 'occlusion' && (
        <OcclusionReveal
          exercise={exercise}
          task={task}
          participantId={student}
          image={image}
          inputSize={inputSize}
          label={label}
        />
      )}
      {revealed && task.kind === 'probe' && (
        <ProbeReveal exercise={exercise} participantId={student} label={label} cleanProb={cleanProb} />
      )}
      {revealed && exercise.leaderboard && (
        <LeaderboardTable exercise={exercise} participants={state.participants} highlight={student} />
      )}
      {revealed && replay && (
        <LeaderboardTable
          exercise={exercise}
          participants={state.participants}
          highlight={null}
          title="Every score"
          note="In the session each student saw their own score; the leaderboard, when shown, left out zeros."
          hideZero={false}
          testId="exercise-scores"
        />
      )}
      {role === 'instructor' && <InstructorBar exercise={exercise} dispatch={dispatch} />}
    </section>
  );
}
