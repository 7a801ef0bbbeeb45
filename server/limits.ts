// Every limit the server enforces on clients, declared in one place (and documented in docs/limits.md).
// Rates go through rate-limiter-flexible: in memory for one server, in Redis when several share REDIS_URL,
// so a client cannot multiply its allowance by spreading over servers.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { SessionError } from './session/errors';

const rate = z.object({ points: z.number().int().min(1), seconds: z.number().positive() });
type Rate = z.infer<typeof rate>;

export const serverLimitsSchema = z.object({
  /** Messages one socket may send (joins, actions, presence, drags, unknown names alike). */
  socketMessages: rate,
  /** Messages one participant may send over all their sockets: opening more tabs buys nothing. */
  participantMessages: rate,
  /** Compute requests one socket may send (a dragged probe asks once per frame). */
  computeRequests: rate,
  /** Unknown event names one socket may send before it is disconnected. */
  unknownEvents: rate,
  /** Sockets one address may hold open on this server (a school behind one NAT address needs many). */
  socketsPerAddress: z.number().int().min(1),
  /** Sockets one session may have on this server. */
  socketsPerSession: z.number().int().min(1),
  /** Sockets one participant may hold in one session on this server. */
  socketsPerParticipant: z.number().int().min(1),
  /** Sessions one address may create. */
  sessionCreations: rate,
  /** Session imports one address may make. */
  imports: rate,
});
export type ServerLimits = z.infer<typeof serverLimitsSchema>;

export const DEFAULT_LIMITS: ServerLimits = {
  socketMessages: { points: 60, seconds: 2 },
  participantMessages: { points: 60, seconds: 2 },
  computeRequests: { points: 120, seconds: 2 },
  unknownEvents: { points: 20, seconds: 60 },
  socketsPerAddress: 2000,
  socketsPerSession: 1500,
  socketsPerParticipant: 8,
  sessionCreations: { points: 60, seconds: 600 },
  imports: { points: 10, seconds: 600 },
};

/** Overrides from CONVLENS_LIMITS (JSON with any of the keys above), for deployments and tests. */
export function limitsFromEnv(env = process.env.CONVLENS_LIMITS): Partial<ServerLimits> {
  if (!env) return {};
  const parsed = serverLimitsSchema.partial().safeParse(JSON.parse(env));
  if (!parsed.success) throw new Error(`CONVLENS_LIMITS is not valid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

/** The rate limits, in memory or in a Redis shared by every server. */
export class RateLimits {
  private readonly limiters: Record<
    | 'socketMessages'
    | 'participantMessages'
    | 'computeRequests'
    | 'unknownEvents'
    | 'sessionCreations'
    | 'imports',
    Limiter
  >;

  private constructor(
    readonly limits: ServerLimits,
    private readonly redis: Redis | null,
  ) {
    const make = (name: string, r: Rate): Limiter => {
      const options = { keyPrefix: `convlens:${name}`, points: r.points, duration: r.seconds };
      return redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            // Redis away: fall back to this server's own count rather than refusing everyone.
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
    };
    this.limiters = {
      socketMessages: make('socket', limits.socketMessages),
      participantMessages: make('participant', limits.participantMessages),
      computeRequests: make('compute', limits.computeRequests),
      unknownEvents: make('unknown', limits.unknownEvents),
      sessionCreations: make('sessions', limits.sessionCreations),
      imports: make('imports', limits.imports),
    };
  }

  static async create(limits: ServerLimits, redisUrl?: string): Promise<RateLimits> {
    if (!redisUrl) return new RateLimits(limits, null);
    const redis = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    await redis.connect().catch((error: Error) => {
      throw new Error(`cannot reach Redis at REDIS_URL: ${error.message}`);
    });
    return new RateLimits(limits, redis);
  }

  /** Takes one point; false when the budget for `key` is spent. */
  async take(name: keyof RateLimits['limiters'], key: string): Promise<boolean> {
    try {
      await this.limiters[name].consume(key);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }

  /** Takes one point or throws `rate-limited` saying when to try again. */
  async require(name: keyof RateLimits['limiters'], key: string, what: string): Promise<void> {
    try {
      await this.limiters[name].consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new RateLimitedError(what, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** `rate-limited`, with when to try again (an HTTP answer says it in Retry-After too). */
export class RateLimitedError extends SessionError {
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate-limited', `too many ${what}: try again in ${retryAfterSeconds} s`);
  }
}
