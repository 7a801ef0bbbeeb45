'use client';

export interface ProgressBarProps {
  done: number;
  /** Unknown totals show a running count and an indeterminate bar. */
  total?: number;
  /** What is being counted, e.g. "images" or "positions". */
  unit?: string;
  label?: string;
}

export function ProgressBar({ done, total, unit = 'items', label = 'Progress' }: ProgressBarProps) {
  const known = total !== undefined && total > 0;
  const fraction = known ? Math.min(1, done / total) : 0;
  const text = known
    ? `${done.toLocaleString()} / ${total.toLocaleString()} ${unit}`
    : `${done.toLocaleString()} ${unit}`;
  return (
    <div className="flex items-center gap-3" data-testid="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={text}
        className="relative h-3 min-w-32 flex-1 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full bg-indigo-500 transition-[width] duration-200 ${known ? '' : 'w-1/3 animate-pulse'}`}
          style={known ? { width: `${(fraction * 100).toFixed(1)}%` } : undefined}
        />
      </div>
      <span className="shrink-0 text-base font-medium tabular-nums text-slate-700">{text}</span>
    </div>
  );
}
