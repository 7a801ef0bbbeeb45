'use client';

import { useEffect, useMemo, useState } from 'react';
import { currentExercise } from '@/lib/exercises/state';
import type { ReplayLog } from '@/lib/protocol/replay';
import { BrowserCompute } from '../compute/browser-compute';
import { ComputeClient } from '../compute/compute-client';
import { HttpCompute } from '../compute/http-compute';
import { ComputeContext } from '../compute/use-computed';
import { ExercisePanel } from '../exercise';
import { useCatalog } from '../session/catalog';
import { ParticipantList } from '../session/participant-list';
import { ViewArea } from '../session/view-area';
import { ViewTabs } from '../session/view-tabs';
import { ChapterList } from './chapter-list';
import { ReplayControls } from './replay-controls';
import { Timeline } from './timeline';
import { usePlayback } from './use-playback';

/** Plays a session's recording: the same fold and the same views as live, read-only. */
export function ReplayPlayer({ log, headers }: { log: ReplayLog; headers: Record<string, string> }) {
  const timeline = useMemo(() => new Timeline(log.events), [log.events]);
  const markers = useMemo(() => timeline.markers(), [timeline]);
  const times = useMemo(() => timeline.relativeTimes(), [timeline]);
  const playback = usePlayback(times);
  const catalog = useCatalog();
  const [client, setClient] = useState<ComputeClient | null>(null);

  useEffect(() => {
    const browser = new BrowserCompute();
    const server = new HttpCompute(`/api/replays/${log.joinCode}/compute`, headers);
    setClient(new ComputeClient(server, browser, () => 'server'));
    return () => browser.terminate();
  }, [log.joinCode, headers]);

  const count = timeline.countAt(playback.t);
  const state = timeline.stateAfter(count);
  // Exercises show as they happened: the question and the count, then the truth, the class map and scores.
  const exercise = currentExercise(state);

  return (
    <ComputeContext.Provider value={client}>
      <main className="mx-auto max-w-7xl px-6 py-6">
        <header className="flex flex-wrap items-baseline gap-4">
          <h1 className="text-2xl font-bold">Replay: {log.title}</h1>
          <span className="text-sm text-slate-600">
            recorded {new Date(log.createdAt).toLocaleString()} · {log.events.length} events · it plays back,
            it never changes
          </span>
        </header>
        <ReplayControls
          playback={playback}
          duration={timeline.duration}
          markers={markers}
          seq={state.seq}
          total={log.events.at(-1)?.seq ?? 0}
        />
        {state.seq > 0 && (
          <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_17rem]">
            <section aria-label="Recorded view" className="min-w-0 space-y-4">
              {exercise ? (
                <ExercisePanel
                  exercise={exercise}
                  state={state}
                  participantId={null}
                  dispatch={undefined}
                  now={timeline.start + playback.t}
                />
              ) : (
                <>
                  <ViewTabs current={state.view} />
                  <ViewArea state={state} catalog={catalog} />
                </>
              )}
            </section>
            <aside className="min-w-0 space-y-4">
              <ChapterList markers={markers} t={playback.t} onJump={playback.seek} />
              <ParticipantList participants={Object.values(state.participants)} />
            </aside>
          </div>
        )}
      </main>
    </ComputeContext.Provider>
  );
}
