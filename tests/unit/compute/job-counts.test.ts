import { describe, expect, it } from 'vitest';
import { ComputeError } from '@/server/compute/errors';
import { JobCounts } from '@/server/compute/job-counts';

const owner = (participantId: string, address = '10.0.0.1', sessionId = 's1') => ({
  participantId,
  address,
  sessionId,
});

async function refusal(promise: Promise<unknown>): Promise<ComputeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ComputeError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('queued-job counts', () => {
  it('refuses a participant past its count and takes nothing from the other counters', async () => {
    const counts = new JobCounts({ perParticipant: 2, perAddress: 3, perSession: 10 });
    await counts.take(owner('a'), 'explore');
    const giveBack = await counts.take(owner('a'), 'explore');
    const error = await refusal(counts.take(owner('a'), 'explore'));
    expect(error.code).toBe('queue-full');
    expect(error.message).toMatch(/you already wait for 2 results/);
    // The refusal gave back the address point it had taken: b still has one left on this address.
    await counts.take(owner('b'), 'explore');
    expect((await refusal(counts.take(owner('c'), 'explore'))).message).toMatch(/network address/);
    await giveBack();
    await counts.take(owner('a', '10.0.0.2'), 'explore');
  });

  it('counts shared-view jobs against the session only, and lesson preparation not at all', async () => {
    const counts = new JobCounts({ perParticipant: 1, perAddress: 1, perSession: 2 });
    await counts.take(owner('t'), 'shared');
    await counts.take(owner('t'), 'shared');
    expect((await refusal(counts.take(owner('t'), 'shared'))).message).toMatch(/this session/);
    await counts.take(owner('t'), 'prepare');
    await counts.take(owner('t'), 'prepare');
  });
});
