'use client';

import { useEffect } from 'react';
import { currentExercise } from '@/lib/exercises/state';
import type { Action } from '@/lib/protocol/actions';
import { ComputeContext } from '../compute/use-computed';
import { ExercisePanel, ExerciseStarter } from '../exercise';
import { useCatalog } from './catalog';
import { useFreeExplore } from './free-explore';
import { FreeExploreBar } from './free-explore-bar';
import { InstructorControls } from './instructor-controls';
import { ParticipantList } from './participant-list';
import { SessionHeader } from './session-header';
import { useComputeClient } from './use-compute-client';
import { InstructorDefaults } from './use-defaults';
import { useSession } from './use-session';
import { ViewArea } from './view-area';
import { ViewTabs } from './view-tabs';

/** The live session, for the instructor (drives) and students (follow, or explore when allowed). */
export function SessionScreen({ joinCode }: { joinCode: string }) {
  const { snapshot, connection } = useSession(joinCode);
  const { state: shared, role, status, error } = snapshot;
  const drives = role === 'instructor';
  const client = useComputeClient(connection, shared);
  const catalog = useCatalog();
  const explore = useFreeExplore(drives ? null : shared);
  const state = drives ? shared : explore.view;
  const dispatch = drives ? (action: Action) => void connection?.act(action) : explore.apply;
  // While an exercise is on screen it takes the views' place: they would give the answer away.
  const exercise = shared && currentExercise(shared);

  useEffect(() => {
    if (shared?.title) document.title = `${shared.title} · ConvLens`;
  }, [shared?.title]);

  return (
    <ComputeContext.Provider value={client}>
      {drives && shared && dispatch && (
        <InstructorDefaults state={shared} catalog={catalog} dispatch={dispatch} />
      )}
      <main className="mx-auto max-w-7xl px-6 py-6">
        <SessionHeader title={shared?.title} joinCode={joinCode} drives={drives} status={status} />
        {error && (
          <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        )}
        {state && shared && (
          <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_17rem]">
            <section aria-label="Shared view" className="min-w-0 space-y-4">
              {exercise ? (
                <ExercisePanel
                  exercise={exercise}
                  state={shared}
                  role={role}
                  participantId={snapshot.participantId}
                  connection={connection}
                />
              ) : (
                <>
                  {!drives && shared.mode === 'free' && (
                    <FreeExploreBar exploring={explore.exploring} onBackInStep={explore.backInStep} />
                  )}
                  <ViewTabs
                    current={state.view}
                    onSelect={dispatch && ((view) => dispatch({ type: 'view.set', view }))}
                  />
                  <ViewArea state={state} catalog={catalog} dispatch={dispatch} />
                </>
              )}
            </section>
            <aside className="space-y-4">
              {drives && catalog && dispatch && (
                <InstructorControls
                  joinCode={joinCode}
                  state={shared}
                  catalog={catalog}
                  dispatch={dispatch}
                />
              )}
              {drives && <ExerciseStarter joinCode={joinCode} state={shared} connection={connection} />}
              <ParticipantList participants={Object.values(shared.participants)} />
            </aside>
          </div>
        )}
      </main>
    </ComputeContext.Provider>
  );
}
