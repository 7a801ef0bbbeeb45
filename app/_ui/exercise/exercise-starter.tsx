'use client';

import { useId, useMemo, useState } from 'react';
import { defaultGrid, gridLabel, paintableGrids } from '@/lib/exercises/grids';
import { defaultProbeAt, defaultPrompt, taskFromSession } from '@/lib/exercises/task';
import { DEFAULT_TOP_N, type ExerciseKind, MAX_PAINT_SIDE, MAX_TOP_N } from '@/lib/protocol/exercise';
import { fitOcclusion, type Point } from '@/lib/protocol/occlusion-grid';
import type { Presence } from '@/lib/protocol/presence';
import type { SessionState } from '@/lib/session/state';
import { useComputed } from '../compute/use-computed';
import { usePixels } from '../compute/use-pixels';
import type { Dispatch } from '../session/dispatch';
import { CellSizeNote } from './cell-size-note';
import { CsvDownload } from './csv-download';
import { ProbePlacer } from './probe-placer';
import { useSend } from './send';

const DURATIONS = [
  [30, '30 s'],
  [60, '1 min'],
  [120, '2 min'],
  [180, '3 min'],
  [300, '5 min'],
] as const;

/** The instructor poses a question about the current image, model and occlusion settings. */
export function ExerciseStarter({
  joinCode,
  state,
  dispatch,
  presence = {},
}: {
  joinCode: string;
  state: SessionState;
  dispatch: Dispatch | undefined;
  /** Who is online, with their window widths (for the cell-size warning). */
  presence?: Record<string, Presence>;
}) {
  const [kind, setKind] = useState<ExerciseKind>('occlusion');
  const [prompt, setPrompt] = useState('');
  const [seconds, setSeconds] = useState(60);
  const [topN, setTopN] = useState(DEFAULT_TOP_N);
  const { send, busy, error } = useSend(dispatch);
  const info = useComputed({ kind: 'model-info', modelId: state.modelId });
  const ids = useId();
  const inputSize = info?.result?.manifest.inputSize;
  const last = state.exercises.at(-1);
  const running = last !== undefined && last.phase !== 'revealed';
  const live = state.occlusion;
  const grids = useMemo(
    () => (inputSize ? paintableGrids(inputSize, { patch: live.patch, stride: live.stride }) : []),
    [inputSize, live.patch, live.stride],
  );
  const [gridChoice, setGridChoice] = useState<string | null>(null);
  const grid = grids.find((g) => gridKey(g) === gridChoice) ?? defaultGrid(grids);
  const [probeChoice, setProbeChoice] = useState<Point | null>(null);
  const probePatch = inputSize ? fitOcclusion(live, inputSize).patch : 1;
  const probeAt = inputSize ? (probeChoice ?? defaultProbeAt(probePatch, inputSize, state.probe)) : null;
  const probeSeen = probeAt !== null && state.probe?.y === probeAt.y && state.probe?.x === probeAt.x;
  const image = usePixels(kind === 'probe' ? state.modelId : null, state.imageId);
  const planned = inputSize
    ? taskFromSession(kind, state, inputSize, topN, grid, probeAt)
    : { problem: 'Loading the model…' };
  const screenWidths = Object.entries(presence)
    .filter(([id, p]) => p.online && p.screenWidth !== null && state.participants[id]?.role === 'student')
    .map(([, p]) => p.screenWidth as number);

  const start = () => {
    if (!planned.task) return;
    void send({
      type: 'exercise.start',
      task: planned.task,
      prompt: prompt.trim() || defaultPrompt(kind),
      seconds,
    });
  };

  return (
    <section
      aria-labelledby={`${ids}-heading`}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 id={`${ids}-heading`} className="font-semibold text-slate-700">
        Exercise
      </h2>
      <fieldset className="space-y-1">
        <legend className="text-slate-600">Students predict</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name={`${ids}-kind`}
            checked={kind === 'occlusion'}
            onChange={() => setKind('occlusion')}
          />
          where covering hurts most (grid)
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name={`${ids}-kind`}
            checked={kind === 'probe'}
            onChange={() => setKind('probe')}
          />
          the probability with the patch
        </label>
      </fieldset>
      <label className="block">
        <span className="text-slate-600">Prompt</span>
        <textarea
          aria-label="Exercise prompt"
          value={prompt}
          placeholder={defaultPrompt(kind)}
          maxLength={200}
          rows={2}
          onChange={(e) => setPrompt(e.target.value)}
          className="mt-1 w-full rounded border px-2 py-1"
        />
      </label>
      <div className="flex gap-3">
        <label className="block">
          <span className="text-slate-600">Time</span>
          <select
            aria-label="Time limit"
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
            className="mt-1 block rounded border px-2 py-1"
          >
            {DURATIONS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        {kind === 'occlusion' && (
          <label className="block">
            <span className="text-slate-600">Top N</span>
            <input
              aria-label="Top N cells"
              type="number"
              min={1}
              max={MAX_TOP_N}
              value={topN}
              onChange={(e) =>
                setTopN(Math.min(MAX_TOP_N, Math.max(1, Math.round(Number(e.target.value)) || 1)))
              }
              className="mt-1 block w-20 rounded border px-2 py-1"
            />
          </label>
        )}
      </div>
      {kind === 'occlusion' && grid && inputSize && (
        <div className="space-y-1">
          <label className="block">
            <span className="text-slate-600">Grid to paint (its own, not the live view's)</span>
            <select
              aria-label="Exercise grid"
              data-testid="exercise-grid"
              value={gridKey(grid)}
              onChange={(e) => setGridChoice(e.target.value)}
              className="mt-1 block w-full rounded border px-2 py-1"
            >
              {grids.map((g) => (
                <option key={gridKey(g)} value={gridKey(g)}>
                  {gridLabel(g)}
                  {g.seen ? ' — the live view’s: the class has seen it' : ''}
                </option>
              ))}
            </select>
          </label>
          <p className="text-xs text-slate-600">
            At most {MAX_PAINT_SIDE}×{MAX_PAINT_SIDE} cells. Answers are hidden from students until the
            reveal.
          </p>
          {grid.seen && (
            <p role="status" className="text-amber-800">
              This is the live occlusion view’s grid: students who followed it have seen the answer.
            </p>
          )}
          <CellSizeNote grid={grid} inputSize={inputSize} screenWidths={screenWidths} />
        </div>
      )}
      {kind === 'probe' && inputSize && probeAt && state.imageId && (
        <div className="space-y-1">
          <p className="text-slate-600">Where the patch goes (only you see this)</p>
          <ProbePlacer
            image={image}
            inputSize={inputSize}
            patch={probePatch}
            at={probeAt}
            onMove={setProbeChoice}
          />
          {probeSeen && (
            <p role="status" className="text-amber-800">
              This is where the live patch is: students who followed the occlusion view have seen the
              probability there.
            </p>
          )}
        </div>
      )}
      {planned.problem && <p className="text-slate-600">{planned.problem}</p>}
      {running && <p className="text-slate-600">Reveal the current exercise to start another.</p>}
      <button
        type="button"
        data-testid="exercise-start"
        disabled={!planned.task || running || busy}
        onClick={start}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:bg-slate-300"
      >
        Start exercise
      </button>
      {error && (
        <p role="alert" className="text-red-700">
          {error.message}
        </p>
      )}
      {state.exercises.length > 0 && <CsvDownload joinCode={joinCode} />}
    </section>
  );
}

function gridKey(grid: { patch: number; stride: number }): string {
  return `${grid.patch}/${grid.stride}`;
}
