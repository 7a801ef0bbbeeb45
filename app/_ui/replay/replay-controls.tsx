'use client';

import { useState } from 'react';
import { IDLE_GAP_MS, IDLE_KEPT_MS } from './idle';
import { MarkerLabel } from './marker-label';
import { formatTime, groupMarkers, type Marker, type MarkerGroup, type MarkerKind, SPEEDS } from './timeline';
import type { usePlayback } from './use-playback';

export const MARKER_COLOURS: Record<MarkerKind, string> = {
  view: 'bg-indigo-700',
  exercise: 'bg-amber-700',
  upload: 'bg-fuchsia-700',
  join: 'bg-emerald-700',
  model: 'bg-rose-700',
  image: 'bg-sky-700',
};

/** Groups closer than this share of the bar are one button (a marker is about 1% of a 1000 px bar wide). */
const GROUP_SHARE = 0.02;

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
  const groups = groupMarkers(markers, span * GROUP_SHARE);
  const [open, setOpen] = useState<MarkerGroup | null>(null);

  const jump = (group: MarkerGroup) => {
    playback.seek(group.t);
    setOpen(group.markers.length > 1 && open?.t !== group.t ? group : null);
  };

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
          <span className="text-slate-700">Speed</span>
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
        <label
          className="flex items-center gap-1.5 text-sm text-slate-700"
          title={`Stretches over ${IDLE_GAP_MS / 1000} s with nothing recorded play in ${IDLE_KEPT_MS / 1000} s`}
        >
          <input
            type="checkbox"
            data-testid="skip-idle"
            checked={playback.skipIdle}
            onChange={(e) => playback.setSkipIdle(e.target.checked)}
          />
          Skip idle
        </label>
        <span className="font-mono text-sm tabular-nums" data-testid="replay-position" data-seq={seq}>
          {formatTime(playback.t)} / {formatTime(duration)} · event {seq} of {total}
        </span>
        <span
          className="text-sm text-slate-700"
          data-testid="replay-play-duration"
          data-ms={Math.round(playback.playDuration)}
        >
          plays in {formatTime(playback.playDuration)} at {playback.speed}×
        </span>
      </div>
      <div className="relative pt-5">
        <div className="absolute inset-x-0 top-0 h-4">
          {groups.map((group) => (
            <MarkerButton key={group.markers[0].seq} group={group} span={span} onClick={() => jump(group)} />
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
      {open && (
        <div
          data-testid="marker-group"
          className="rounded-md border border-slate-200 bg-slate-50 p-2 text-sm"
        >
          <p className="text-slate-700">
            {open.markers.length} moments at {formatTime(open.t)}:
          </p>
          <ul className="mt-1 flex flex-wrap gap-2">
            {open.markers.map((m) => (
              <li key={m.seq}>
                <button
                  type="button"
                  onClick={() => playback.seek(m.t)}
                  className="rounded border border-slate-300 bg-white px-2 py-0.5 hover:bg-slate-100"
                >
                  {formatTime(m.t)} <MarkerLabel marker={m} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul className="flex flex-wrap gap-3 text-xs text-slate-700">
        {Object.entries(MARKER_COLOURS).map(([kind, colour]) => (
          <li key={kind} className="flex items-center gap-1">
            <span className={`inline-block h-2 w-2 rounded-sm ${colour}`} /> {kind}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MarkerButton({ group, span, onClick }: { group: MarkerGroup; span: number; onClick: () => void }) {
  const [first] = group.markers;
  const many = group.markers.length > 1;
  const what = many ? `${group.markers.length} moments` : first.label;
  return (
    <button
      type="button"
      data-testid="replay-marker"
      data-count={group.markers.length}
      data-kinds={[...new Set(group.markers.map((m) => m.kind))].join(',')}
      title={`${formatTime(group.t)} ${group.markers.map((m) => m.label).join(' · ')}`}
      aria-label={`Jump to ${what} at ${formatTime(group.t)}`}
      onClick={onClick}
      className={`absolute top-0 flex h-4 min-w-2 -translate-x-1/2 items-center justify-center rounded-sm px-0.5 text-[10px] font-semibold leading-none text-white ${
        MARKER_COLOURS[first.kind]
      }`}
      style={{ left: `${(group.t / span) * 100}%` }}
    >
      {many ? group.markers.length : ''}
    </button>
  );
}
