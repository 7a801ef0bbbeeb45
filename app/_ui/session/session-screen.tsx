'use client';

import type { Action } from '@/lib/protocol/actions';
import { ParticipantList } from './participant-list';
import { useSession } from './use-session';
import { VIEW_LABELS, ViewTabs } from './view-tabs';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Reconnecting…',
  failed: 'Not connected',
};

/** The live session, for the instructor (drives) and students (follow). */
export function SessionScreen({ joinCode }: { joinCode: string }) {
  const { snapshot, connection } = useSession(joinCode);
  const { state, role, status, error } = snapshot;
  const drives = role === 'instructor';
  const act = (action: Action) => {
    void connection?.act(action);
  };

  return (
    <main className="mx-auto max-w-6xl px-6 py-6">
      <header className="flex flex-wrap items-center gap-4">
        <div>
          <h1 className="text-2xl font-bold">{state?.title || 'ConvLens session'}</h1>
          <p className="text-sm text-slate-600">
            {drives ? 'You are driving this session.' : 'Following the instructor.'}{' '}
            <span data-testid="status" data-status={status}>
              {STATUS_TEXT[status]}
            </span>
          </p>
        </div>
        <div className="ml-auto text-right">
          <div className="text-xs uppercase tracking-wide text-slate-500">Join code</div>
          <div data-testid="join-code" className="font-mono text-3xl font-bold tracking-[0.3em]">
            {joinCode}
          </div>
        </div>
      </header>
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error.message}
        </p>
      )}
      {state && (
        <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_16rem]">
          <section aria-label="Shared view" className="space-y-4">
            <ViewTabs
              current={state.view}
              onSelect={drives ? (view) => act({ type: 'view.set', view }) : undefined}
            />
            <div data-testid="current-view" data-view={state.view} className="rounded-xl border bg-white p-6">
              <h2 className="text-lg font-semibold">{VIEW_LABELS[state.view]}</h2>
              <p className="text-sm text-slate-600">Model: {state.modelId}</p>
            </div>
          </section>
          <aside>
            <ParticipantList participants={Object.values(state.participants)} />
          </aside>
        </div>
      )}
    </main>
  );
}
