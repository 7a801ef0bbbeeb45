import type { Presence } from '@/lib/protocol/presence';
import type { ParticipantState } from '@/lib/session/state';
import { VIEW_LABELS } from './view-tabs';

/**
 * Who took part (from the log) and, in a live session, who is here now, where their results come from and
 * who is exploring on their own (ephemeral presence). A replay has no presence: it lists names only.
 */
export function ParticipantList({
  participants,
  presence,
}: {
  participants: ParticipantState[];
  presence?: Record<string, Presence>;
}) {
  const sorted = [...participants].sort((a, b) => a.joinedSeq - b.joinedSeq);
  const now = (id: string) => (presence && Object.hasOwn(presence, id) ? presence[id] : undefined);
  const online = sorted.filter((p) => now(p.id)?.online).length;
  return (
    <section
      aria-labelledby="participants-heading"
      className="rounded-xl border border-slate-200 bg-white p-4"
    >
      <h2 id="participants-heading" className="text-sm font-semibold text-slate-700">
        Participants{' '}
        <span className="font-normal text-slate-600">
          {presence ? `(${online} online)` : `(${sorted.length})`}
        </span>
      </h2>
      <ul data-testid="participants" className="mt-2 space-y-1 text-sm">
        {sorted.map((p) => {
          const here = now(p.id);
          const exploring = here?.online && p.role === 'student' && here.following === 'exploring';
          return (
            <li
              key={p.id}
              data-testid="participant"
              data-online={presence ? Boolean(here?.online) : undefined}
              data-exploring={exploring || undefined}
              className="flex items-center gap-2"
            >
              {presence && (
                <span
                  aria-hidden
                  className={`inline-block h-2 w-2 shrink-0 rounded-full ${here?.online ? 'bg-emerald-500' : 'bg-slate-300'}`}
                />
              )}
              <span className="truncate">{p.name}</span>
              {p.role === 'instructor' && <span className="text-xs text-indigo-700">instructor</span>}
              {p.role === 'presenter' && <span className="text-xs text-slate-700">projector</span>}
              {presence && (
                <span className="ml-auto shrink-0 text-xs text-slate-600">
                  {!here?.online
                    ? 'offline'
                    : exploring
                      ? `exploring${here.view ? ` · ${VIEW_LABELS[here.view].toLowerCase()}` : ''}`
                      : here.backend}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
