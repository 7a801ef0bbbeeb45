'use client';

import type { Display } from '@/lib/protocol/actions';
import type { SessionState } from '@/lib/session/state';
import type { Dispatch } from './dispatch';

/**
 * The projector: a link that opens it (it joins without the key, so it is safe to put on the wall), and what
 * it shows besides the view. The explanations show on every screen, not only the projector.
 */
export function ProjectorControls({
  joinCode,
  state,
  dispatch,
}: {
  joinCode: string;
  state: SessionState;
  dispatch: Dispatch;
}) {
  const set = (patch: Partial<Display>) =>
    dispatch({ type: 'display.set', display: { ...state.display, ...patch } });
  return (
    <section
      aria-label="Projector"
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 text-sm"
    >
      <a
        href={`/s/${joinCode}/present`}
        target="_blank"
        rel="noopener"
        data-testid="open-presenter"
        className="block rounded-md bg-slate-900 px-3 py-2 text-center font-medium text-white hover:bg-slate-700"
      >
        Open the projector view
      </a>
      <p className="text-slate-700">
        Open it in a new window on the projector and press F11 for full screen; this console stays on your
        laptop.
      </p>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          data-testid="toggle-join-code"
          checked={state.display.joinCode}
          onChange={(e) => void set({ joinCode: e.target.checked })}
        />
        Join code and QR code on the projector
      </label>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          data-testid="toggle-explain"
          checked={state.display.explain}
          onChange={(e) => void set({ explain: e.target.checked })}
        />
        “What am I seeing?” on every screen
      </label>
    </section>
  );
}
