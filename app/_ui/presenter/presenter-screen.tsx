'use client';

import { useEffect, useState } from 'react';
import { currentExercise } from '@/lib/exercises/state';
import { ComputeContext } from '../compute/use-computed';
import { ExercisePanel } from '../exercise';
import { useCatalog } from '../session/catalog';
import { useComputeClient } from '../session/use-compute-client';
import { useSession } from '../session/use-session';
import { ViewArea } from '../session/view-area';
import { VIEW_LABELS } from '../session/view-tabs';
import { JoinBanner } from './join-banner';
import { PresentingContext } from './presenting';

/** Views are laid out for a 1280 px wide screen and scaled up to fill larger projectors. */
const LAYOUT_WIDTH = 1280;
const MAX_ZOOM = 1.75;

/**
 * The projector's screen: the current view at lecture size, nothing to click, no secrets. It joins as a
 * presenter (it holds no instructor key, even in the browser that drives) and shows the join code and its
 * QR code until the instructor hides them.
 */
export function PresenterScreen({ joinCode }: { joinCode: string }) {
  const { snapshot, connection } = useSession(joinCode, true);
  const { state, status, error } = snapshot;
  const client = useComputeClient(connection, state);
  const catalog = useCatalog();
  const zoom = useLectureZoom();
  const exercise = state && currentExercise(state);
  const dragged = snapshot.ephemeral.probe;

  useEffect(() => {
    if (state?.title) document.title = `${state.title} · projector · ConvLens`;
  }, [state?.title]);

  return (
    <ComputeContext.Provider value={client}>
      <PresentingContext.Provider value={true}>
        <main
          data-testid="presenter"
          data-status={status}
          className="min-h-screen bg-slate-50 px-4 py-3"
          style={{ zoom }}
        >
          <header className="mb-3 flex flex-wrap items-baseline gap-x-6 gap-y-1">
            <h1 className="text-3xl font-bold">{state?.title || 'ConvLens'}</h1>
            {state && !exercise && (
              <p data-testid="presenter-view" className="text-2xl text-slate-700">
                {VIEW_LABELS[state.view]}
              </p>
            )}
            <p className="ml-auto font-mono text-2xl font-semibold tracking-widest text-slate-700">
              {joinCode}
            </p>
            {status !== 'live' && (
              <p role="status" className="text-xl text-amber-800">
                {status === 'failed' ? 'Not connected' : 'Connecting…'}
              </p>
            )}
          </header>
          {error && !state && (
            <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-xl text-red-800">
              {error.code === 'not-found' ? `No session has the code ${joinCode}.` : error.message}
            </p>
          )}
          {state?.display.joinCode && (
            <div className="mb-4">
              <JoinBanner joinCode={joinCode} />
            </div>
          )}
          {state &&
            (exercise ? (
              <ExercisePanel
                exercise={exercise}
                state={state}
                role={snapshot.role}
                participantId={null}
                dispatch={undefined}
              />
            ) : (
              <ViewArea state={dragged ? { ...state, probe: dragged } : state} catalog={catalog} />
            ))}
        </main>
      </PresentingContext.Provider>
    </ComputeContext.Provider>
  );
}

/** How much to scale the 1280 px layout to fill this screen's width. */
function useLectureZoom(): number {
  const [zoom, setZoom] = useState(1);
  useEffect(() => {
    const fitToScreen = () => setZoom(Math.min(MAX_ZOOM, Math.max(1, window.innerWidth / LAYOUT_WIDTH)));
    fitToScreen();
    window.addEventListener('resize', fitToScreen);
    return () => window.removeEventListener('resize', fitToScreen);
  }, []);
  return zoom;
}
