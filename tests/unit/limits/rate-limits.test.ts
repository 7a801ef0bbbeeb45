// The server's client budgets (server/limits.ts) in memory: rate-limiter-flexible's counting, our keys and errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, limitsFromEnv, RateLimits, type ServerLimits } from '@/server/limits';
import { SessionError } from '@/server/session/errors';

const limits: ServerLimits = {
  ...DEFAULT_LIMITS,
  socketMessages: { points: 3, seconds: 10 },
  sessionCreations: { points: 1, seconds: 90 },
};

describe('rate limits in memory', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spends a budget per key and per limit, independently', async () => {
    const rates = await RateLimits.create(limits);
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await rates.take('socketMessages', 'socket-a'));
    expect(taken).toEqual([true, true, true, false]);
    expect(await rates.take('socketMessages', 'socket-b')).toBe(true);
    expect(await rates.take('participantMessages', 'socket-a')).toBe(true);
    await rates.close();
  });

  it('refuses with rate-limited and says when to try again', async () => {
    const rates = await RateLimits.create(limits);
    await rates.require('sessionCreations', '10.0.0.1', 'sessions');
    const refused = await rates.require('sessionCreations', '10.0.0.1', 'sessions').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SessionError);
    expect(refused).toMatchObject({ code: 'rate-limited' });
    expect((refused as Error).message).toMatch(/^too many sessions: try again in (89|90) s$/);
    await rates.close();
  });

  it('gives the budget back when its window has passed', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const rates = await RateLimits.create(limits);
    for (let i = 0; i < 3; i++) await rates.take('socketMessages', 's');
    expect(await rates.take('socketMessages', 's')).toBe(false);
    vi.advanceTimersByTime(9_000);
    expect(await rates.take('socketMessages', 's')).toBe(false);
    vi.advanceTimersByTime(1_001);
    expect(await rates.take('socketMessages', 's')).toBe(true);
    await rates.close();
  });

  it('takes overrides from CONVLENS_LIMITS and names what is wrong with them', () => {
    expect(limitsFromEnv(undefined)).toEqual({});
    expect(limitsFromEnv('{"socketsPerAddress":5000,"imports":{"points":2,"seconds":60}}')).toEqual({
      socketsPerAddress: 5000,
      imports: { points: 2, seconds: 60 },
    });
    expect(() => limitsFromEnv('{"socketsPerAddress":0}')).toThrow(/CONVLENS_LIMITS is not valid/);
  });
});
