'use client';

import type { ComputeJobState } from '@/lib/protocol/compute';

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
  const text = countText(done, total, unit);
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

export interface JobProgressProps {
  job: ComputeJobState;
  /** What is being counted, e.g. "images" or "positions". */
  unit: string;
  label: string;
}

/** A job's state as everyone sees it: queued with the jobs ahead, running with the time left, or how it ended. */
export function JobProgress({ job, unit, label }: JobProgressProps) {
  if (job.state === 'running') {
    return (
      <div className="space-y-1">
        <ProgressBar done={job.done} total={job.total} unit={unit} label={label} />
        {job.etaMs !== undefined && (
          <p className="text-sm text-slate-600">about {formatDuration(job.etaMs)} left</p>
        )}
      </div>
    );
  }
  const failed = job.state === 'failed';
  return (
    <p
      data-testid="job-state"
      data-state={job.state}
      role={failed ? 'alert' : 'status'}
      className={`text-base ${failed ? 'text-red-700' : 'text-slate-700'}`}
    >
      {job.state === 'queued' && (
        <span className="mr-2 inline-block h-3 w-3 animate-pulse rounded-full bg-indigo-400" aria-hidden />
      )}
      {jobStatusText(job, unit)}
    </p>
  );
}

/** One sentence for a job's state. */
export function jobStatusText(job: ComputeJobState, unit: string): string {
  switch (job.state) {
    case 'queued':
      return job.ahead === 0
        ? 'Queued: next to start'
        : `Queued: ${job.ahead} ${job.ahead === 1 ? 'job' : 'jobs'} ahead`;
    case 'running': {
      const counted = countText(job.done, job.total, unit);
      return job.etaMs === undefined ? counted : `${counted}, about ${formatDuration(job.etaMs)} left`;
    }
    case 'cancelled':
      return 'Cancelled: nobody needed it any more';
    case 'failed':
      return `Failed: ${job.reason}`;
  }
}

/** "1,175 / 3,025 positions"; before the first report, "Starting" rather than a count of nothing. */
function countText(done: number, total: number | undefined, unit: string): string {
  if (total !== undefined && total > 0) return `${done.toLocaleString()} / ${total.toLocaleString()} ${unit}`;
  return done > 0 ? `${done.toLocaleString()} ${unit}` : 'Starting…';
}

function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
