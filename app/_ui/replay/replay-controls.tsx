'use client';

import { formatTime, type Marker, SPEEDS } from './timeline';
import type { usePlayback } from './use-playback';

const MARKER_COLOURS: Record<Marker['kind'], string> = {
  view: 'bg-indigo-500',
  exercise: 'bg-amber-500',
  join: 'bg-emerald-500',
  model: 'bg-rose-500',
  image: 'bg-sky-500',
};

export function ReplayControls({
  playback,
  duration,
  markers,
  seq,
  total,
}: {
  playback: ReturnType<typeof usePlayback>;
  duration: number;
  markers: Marker[];
  seq: number;
  total: number;
}) {
  const span = Math.max(duration, 1);
  return (
    <section aria-label="Playback" className="mt-4 space-y-2 rounded-xl border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={playback.toggle}
          className="w-20 rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white"
        >
          {playback.playing ? 'Pause' : 'Play'}
        </button>
        <label className="flex items-center gap-1 text-sm">
          <span className="text-slate-600">Speed</span>
          <select
            aria-label="Speed"
            value={playback.speed}
            onChange={(e) => playback.setSpeed(Number(e.target.value))}
            className="rounded border px-2 py-1"
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span className="font-mono text-sm tabular-nums" data-testid="replay-position" data-seq={seq}>
          {formatTime(playback.t)} / {formatTime(duration)} · event {seq} of {total}
        </span>
      </div>
      <div className="relative pt-4">
        <div className="absolute inset-x-0 top-0 h-3">
          {markers.map((m) => (
            <button
              key={m.seq}
              type="button"
              title={`${formatTime(m.t)} ${m.label}`}
              aria-label={`Jump to ${m.label} at ${formatTime(m.t)}`}
              onClick={() => playback.seek(m.t)}
              className={`absolute top-0 h-3 w-1.5 -translate-x-1/2 rounded-sm ${MARKER_COLOURS[m.kind]}`}
              style={{ left: `${(m.t / span) * 100}%` }}
            />
          ))}
        </div>
        <input
          type="range"
          aria-label="Position in the recording"
          min={0}
          max={span}
          step={1}
          value={playback.t}
          onChange={(e) => playback.seek(Number(e.target.value))}
          className="w-full"
        />
      </div>
      <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
        {Object.entries(MARKER_COLOURS).map(([kind, colour]) => (
          <li key={kind} className="flex items-center gap-1">
            <span className={`inline-block h-2 w-2 rounded-sm ${colour}`} /> {kind}
          </li>
        ))}
      </ul>
    </section>
  );
}
