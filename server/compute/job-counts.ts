import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { ComputePriority } from '../../lib/protocol/compute';
import { ComputeError } from './errors';

/** Whose counts a new job takes from. */
export interface JobOwner {
  participantId: string;
  sessionId: string;
  address: string;
}

/** docs/limits.md: compute.jobs-per-participant, compute.jobs-per-address, compute.jobs-per-session. */
export interface JobCountLimits {
  perParticipant: number;
  perAddress: number;
  perSession: number;
}

export const DEFAULT_JOB_COUNTS: JobCountLimits = { perParticipant: 4, perAddress: 8, perSession: 16 };

/** A count left by a server that died is forgotten after this (longer than any job's time budget). */
const FORGET_AFTER_S = 600;

type Scope = keyof JobCountLimits;

/**
 * Jobs queued or running per participant, per address and per session, held in
 * rate-limiter-flexible counters (Redis when several servers share one, memory
 * otherwise): a point taken when a job is queued, given back when it ends.
 * Free exploration counts against all three; shared-view jobs only against the
 * session (every follower asks for them, and the instructor's choices bound them);
 * lesson preparation runs a few at a time and is not counted.
 */
export class JobCounts {
  private readonly counters: Record<Scope, RateLimiterAbstract>;

  constructor(
    readonly limits: JobCountLimits = DEFAULT_JOB_COUNTS,
    options: { redis?: Redis; prefix?: string } = {},
  ) {
    const make = (scope: Scope) => {
      const config = {
        points: limits[scope],
        duration: FORGET_AFTER_S,
        keyPrefix: `${options.prefix ?? 'convlens'}:compute-jobs:${scope}`,
      };
      return options.redis
        ? new RateLimiterRedis({ ...config, storeClient: options.redis })
        : new RateLimiterMemory(config);
    };
    this.counters = {
      perParticipant: make('perParticipant'),
      perAddress: make('perAddress'),
      perSession: make('perSession'),
    };
  }

  /** Takes a point in each counter that applies, or none and throws queue-full; returns the give-back. */
  async take(owner: JobOwner, priority: ComputePriority): Promise<() => Promise<void>> {
    const scopes: [Scope, string][] =
      priority === 'explore'
        ? [
            ['perParticipant', owner.participantId],
            ['perAddress', owner.address],
            ['perSession', owner.sessionId],
          ]
        : priority === 'shared'
          ? [['perSession', owner.sessionId]]
          : [];
    const taken: [Scope, string][] = [];
    const giveBack = async () => {
      await Promise.all(
        taken.map(([scope, key]) => this.counters[scope].reward(key, 1).catch(() => undefined)),
      );
    };
    for (const [scope, key] of scopes) {
      try {
        // A refused consume still counts its point: it is given back with the others.
        taken.push([scope, key]);
        await this.counters[scope].consume(key, 1);
      } catch (error) {
        await giveBack();
        if (error instanceof Error) throw error;
        throw new ComputeError('queue-full', refusal(scope, this.limits[scope]));
      }
    }
    return giveBack;
  }
}

function refusal(scope: Scope, limit: number): string {
  switch (scope) {
    case 'perParticipant':
      return `you already wait for ${limit} results: wait for one to finish, or move on from one`;
    case 'perAddress':
      return `this network address already waits for ${limit} results: wait for one to finish`;
    case 'perSession':
      return `this session already waits for ${limit} results: wait for one to finish`;
  }
}
