'use client';

import { useEffect } from 'react';
import { currentExercise } from '@/lib/exercises/state';
import type { ProtocolError } from '@/lib/protocol/socket';
import { ComputeContext } from '../compute/use-computed';
import { ExercisePanel, ExerciseStarter, useReportScreenWidth } from '../exercise';
import { useCatalog } from './catalog';
import { useDispatch } from './dispatch';
import { useFreeExplore } from './free-explore';
import { FreeExploreBar } from './free-explore-bar';
import { InstructorControls } from './instructor-controls';
import { InstructorKeyDialog } from './instructor-key-dialog';
import { LessonPrep } from './lesson-prep';
import { ParticipantList } from './participant-list';
import { ProjectorControls } from './projector-controls';
import { RefusalNotices } from './refusal-notices';
import { type Seat, SessionHeader } from './session-header';
import { useComputeClient } from './use-compute-client';
import { InstructorDefaults } from './use-defaults';
import { useSession } from './use-session';
import { ViewArea } from './view-area';
import { ViewTabs } from './view-tabs';

/** The live session, for the instructor (drives) and students (follow, or explore when allowed). */
export function SessionScreen({
  joinCode,
  onJoinFailed,
}: {
  joinCode: string;
  /** The server refused the join (wrong code, wrong key): the entry page asks again. */
  onJoinFailed?: (error: ProtocolError) => void;
}) {
  const { snapshot, connection } = useSession(joinCode);
  useReportScreenWidth(connection);
  const { state: shared, role, status, error } = snapshot;
  const drives = role === 'instructor';
  const client = useComputeClient(connection, shared);
  const catalog = useCatalog();
  const explore = useFreeExplore(drives ? null : shared);
  const state = drives ? shared : explore.view;
  const { dispatch, refusals, dismiss } = useDispatch({
    send: connection && ((action) => connection.act(action)),
    role,
    explore: explore.apply,
  });
  // Views are interactive for the instructor, and for students while exploration is allowed.
  const viewDispatch = drives || explore.apply ? dispatch : undefined;
  // While an exercise is on screen it takes the views' place: they would give the answer away.
  const exercise = shared && currentExercise(shared);
  const seat: Seat = drives
    ? 'driving'
    : explore.exploring
      ? 'exploring'
      : shared?.mode === 'free'
        ? 'free'
        : 'following';

  useEffect(() => {
    if (shared?.title) document.title = `${shared.title} · ConvLens`;
  }, [shared?.title]);

  // Those who follow see the instructor's patch while it is dragged (ephemeral), then where it lands (logged).
  const dragged = snapshot.ephemeral.probe;
  const follows = !drives && !explore.exploring;

  // Presence: the instructor sees who is exploring, and on which view.
  const shownView = state?.view ?? null;
  useEffect(() => {
    if (!connection || !shownView) return;
    connection.say({ following: explore.exploring ? 'exploring' : 'following', view: shownView });
  }, [connection, explore.exploring, shownView]);

  // A join the server refused leaves no state (the status may already read "offline": the socket closed).
  const refusedJoin = !shared && error ? error : null;
  useEffect(() => {
    if (refusedJoin) onJoinFailed?.(refusedJoin);
  }, [refusedJoin, onJoinFailed]);

  return (
    <ComputeContext.Provider value={client}>
      {drives && shared && <InstructorDefaults state={shared} catalog={catalog} dispatch={dispatch} />}
      {drives && <InstructorKeyDialog joinCode={joinCode} />}
      <main className="mx-auto max-w-[120rem] px-4 py-4 sm:px-6">
        <SessionHeader title={shared?.title} joinCode={joinCode} seat={seat} status={status} />
        {error && (
          <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        )}
        <div className="mt-3">
          <RefusalNotices refusals={refusals} onDismiss={dismiss} />
        </div>
        {state && shared && (
          <div className="mt-4 grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
            <section aria-label="Shared view" className="min-w-0 space-y-4">
              {exercise ? (
                <ExercisePanel
                  exercise={exercise}
                  state={shared}
                  role={role}
                  participantId={snapshot.participantId}
                  dispatch={dispatch}
                />
              ) : (
                <>
                  {!drives && shared.mode === 'free' && (
                    <FreeExploreBar exploring={explore.exploring} onBackToClass={explore.backInStep} />
                  )}
                  <ViewTabs
                    current={state.view}
                    onSelect={viewDispatch && ((view) => viewDispatch({ type: 'view.set', view }))}
                  />
                  <ViewArea
                    state={follows && dragged ? { ...state, probe: dragged } : state}
                    catalog={catalog}
                    dispatch={viewDispatch}
                    onDrag={drives && connection ? (probe) => connection.drag(probe) : undefined}
                  />
                </>
              )}
            </section>
            <aside className="min-w-0 space-y-4">
              {drives && <ProjectorControls joinCode={joinCode} state={shared} dispatch={dispatch} />}
              {drives && connection && <LessonPrep connection={connection} />}
              {drives && catalog && (
                <InstructorControls
                  joinCode={joinCode}
                  state={shared}
                  catalog={catalog}
                  dispatch={dispatch}
                />
              )}
              {drives && (
                <ExerciseStarter
                  joinCode={joinCode}
                  state={shared}
                  dispatch={dispatch}
                  presence={snapshot.ephemeral.presence}
                />
              )}
              <ParticipantList
                participants={Object.values(shared.participants)}
                presence={snapshot.ephemeral.presence}
              />
            </aside>
          </div>
        )}
      </main>
    </ComputeContext.Provider>
  );
}
