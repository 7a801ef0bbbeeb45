import { DEFAULT_JOB_COUNTS, type JobCountLimits } from './job-counts';
import { DEFAULT_MAX_FORWARD_PASSES } from './service';

/** The compute tier's bounds, each named in docs/limits.md with the error a client gets. */
export interface ComputeLimits {
  /** compute.max-forward-passes: occlusion positions, images scanned… per request (too-costly). */
  maxForwardPasses: number;
  /** compute.time-budget: a job stops at its next batch past this (compute-timeout). */
  timeBudgetMs: number;
  /** compute.max-pending: more jobs queued or running than this: "unavailable", browsers compute. */
  maxPending: number;
  /** compute.jobs-per-participant / -per-address / -per-session (queue-full). */
  jobCounts: JobCountLimits;
}

export const COMPUTE_LIMITS: ComputeLimits = {
  maxForwardPasses: DEFAULT_MAX_FORWARD_PASSES,
  timeBudgetMs: 120_000,
  maxPending: 16,
  jobCounts: DEFAULT_JOB_COUNTS,
};
