import type { ParticipantState } from '@/lib/session/state';

export function ParticipantList({ participants }: { participants: ParticipantState[] }) {
  const sorted = [...participants].sort((a, b) => a.joinedSeq - b.joinedSeq);
  const online = sorted.filter((p) => p.online).length;
  return (
    <section
      aria-labelledby="participants-heading"
      className="rounded-xl border border-slate-200 bg-white p-4"
    >
      <h2 id="participants-heading" className="text-sm font-semibold text-slate-700">
        Participants <span className="font-normal text-slate-500">({online} online)</span>
      </h2>
      <ul data-testid="participants" className="mt-2 space-y-1 text-sm">
        {sorted.map((p) => (
          <li key={p.id} data-testid="participant" data-online={p.online} className="flex items-center gap-2">
            <span
              aria-hidden
              className={`inline-block h-2 w-2 rounded-full ${p.online ? 'bg-emerald-500' : 'bg-slate-300'}`}
            />
            <span className="truncate">{p.name}</span>
            {p.role === 'instructor' && <span className="text-xs text-indigo-600">instructor</span>}
            <span className="ml-auto text-xs text-slate-500">{p.online ? p.backend : 'offline'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
