'use client';

import { useEffect, useState } from 'react';
import type { LessonPrepProgress } from '@/lib/protocol/lesson-prep';
import type { SessionConnection } from './connection';

/**
 * Before class: the server computes every result this session's views have needed so far (a rehearsal's
 * history), so the lecture itself only reads stored results. Progress comes from the server as it goes.
 */
export function LessonPrep({ connection }: { connection: SessionConnection }) {
  const [progress, setProgress] = useState<LessonPrepProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => connection.onPrepared(setProgress), [connection]);

  const running = progress?.state === 'running';
  const start = async () => {
    setError(null);
    const answer = await connection.prepareLesson({ source: 'history' });
    if (!answer.ok) setError(answer.error.message);
    else if (answer.value.steps === 0) setError('nothing to prepare yet: show the views of the lesson first');
  };

  return (
    <section
      aria-label="Prepare the lesson"
      className="space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 className="font-semibold text-slate-900">Prepare the lesson</h2>
      <p className="text-slate-700">
        Rehearse the lesson here, then let the server compute every result those views need, so that in class
        each one is ready at once.
      </p>
      <div className="flex gap-2">
        <button
          type="button"
          data-testid="prepare-lesson"
          disabled={running}
          onClick={() => void start()}
          className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
        >
          Compute ahead
        </button>
        {running && (
          <button
            type="button"
            onClick={() => connection.cancelLessonPreparation()}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-800 hover:bg-slate-100"
          >
            Stop
          </button>
        )}
      </div>
      {progress && (
        <div role="status" data-testid="lesson-prep-progress" className="space-y-1">
          <progress className="w-full" max={Math.max(1, progress.total)} value={progress.done} />
          <p className="text-slate-800">
            {progress.state === 'done'
              ? 'Ready: '
              : progress.state === 'cancelled'
                ? 'Stopped: '
                : 'Computing: '}
            {progress.done} of {progress.total} results
            {progress.stored > 0 ? ` (${progress.stored} were already stored)` : ''}
          </p>
          {progress.failed.length > 0 && (
            <ul className="list-disc pl-5 text-red-800">
              {progress.failed.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: failures have no identity of their own
                <li key={i}>
                  {f.kind}: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-red-800">
          {error}
        </p>
      )}
    </section>
  );
}
