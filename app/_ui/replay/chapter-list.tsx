'use client';

import { MarkerLabel } from './marker-label';
import { CHAPTER_KINDS, formatTime, type Marker } from './timeline';

/** View changes, exercises and uploads, to jump to; the one playing now is marked. */
export function ChapterList({
  markers,
  t,
  onJump,
}: {
  markers: readonly Marker[];
  t: number;
  onJump: (t: number) => void;
}) {
  const chapters = markers.filter((m) => CHAPTER_KINDS.has(m.kind));
  if (chapters.length === 0) return null;
  const current = chapters.findLast((m) => m.t <= t);
  return (
    <nav aria-label="Chapters" className="rounded-xl border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold text-slate-800">Chapters</h2>
      <ol data-testid="chapters" className="mt-2 max-h-96 space-y-0.5 overflow-y-auto">
        {chapters.map((m) => (
          <li key={m.seq}>
            <button
              type="button"
              data-testid="chapter"
              data-kind={m.kind}
              aria-current={m === current ? 'step' : undefined}
              onClick={() => onJump(m.t)}
              className={`flex w-full gap-2 rounded px-2 py-1 text-left hover:bg-slate-100 ${
                m === current ? 'bg-indigo-50 font-medium text-indigo-900' : 'text-slate-800'
              }`}
            >
              <span className="font-mono tabular-nums text-slate-600">{formatTime(m.t)}</span>
              <span className="min-w-0 break-words">
                <MarkerLabel marker={m} />
              </span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
