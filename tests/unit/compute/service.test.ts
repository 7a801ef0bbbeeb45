// ComputeService and WorkerPool on the built-in digits model (no packs needed): one job per key however many
// wait, the cache, cancellation once nobody waits, the "unavailable" answers, the cost bound, and the pool's
// queue order when a queued job is moved up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeProgress, ComputeRequest } from '@/lib/protocol/compute';
import { ComputeService, type ComputeServiceOptions } from '@/server/compute/service';
import { WorkerPool } from '@/server/compute/worker-pool';
import { failure, longOcclusion } from '../../helpers/compute-requests';
import { waitFor } from '../../helpers/wait';

const predict = (imageId: string): ComputeRequest => ({ kind: 'predict', modelId: 'mnist-cnn', imageId });

const OPTIONS: ComputeServiceOptions = { enabled: true, maxPending: 8, cacheBytes: 2 ** 20 };

describe('the compute service', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = new WorkerPool({ size: 1 });
    await pool.run(predict('mnist/001-7.png')); // the worker has its backend and the model
  });
  afterAll(() => pool.close());

  it('runs one job for every waiter of a key, then answers from memory', async () => {
    const service = new ComputeService(pool, { ...OPTIONS });
    const request = predict('mnist/002-6.png');
    const [first, second] = await Promise.all([
      service.request(request, { id: 'socket-1', room: 'r' }),
      service.request(request, { id: 'socket-2', room: 'r' }),
    ]);
    expect(first).toMatchObject({ status: 'done', origin: { where: 'server', cached: false } });
    // The same job answered both: same result object, same timing.
    expect(second).toEqual(first);
    expect(service.waitedBy('socket-1')).toEqual([]);
    const again = await service.request(request, { id: 'socket-3' });
    expect(again).toMatchObject({ status: 'done', key: first.key, origin: { cached: true } });
    expect(service.peek(first.key)).toBeDefined();
  });

  it('gives a waiter who comes late the coarse map the others already have', async () => {
    const service = new ComputeService(pool, { ...OPTIONS });
    const request = longOcclusion(5);
    const early: unknown[] = [];
    const late: unknown[] = [];
    const a = service.request(request, { id: 'a', room: 'r', onPartial: (p) => early.push(p) });
    await waitFor(() => early.length > 0, { what: 'the coarse map' });
    const b = service.request(request, { id: 'b', room: 'r', onPartial: (p) => late.push(p) });
    expect(late).toEqual(early);
    await Promise.all([a, b]);
  });

  it('cancels a job once its last waiter lets go, and tells the rooms', async () => {
    const service = new ComputeService(pool, { ...OPTIONS });
    const heard: [string, ComputeProgress][] = [];
    service.onProgress((room, progress) => heard.push([room, progress]));
    const request = longOcclusion(3);
    const a = service.request(request, { id: 'a', room: 'room-a' });
    const b = service.request(request, { id: 'b', room: 'room-b' });
    await waitFor(() => heard.some(([, p]) => p.state === 'running'), { what: 'the job running' });
    const [key] = service.waitedBy('a');
    service.release(key, 'a');
    expect((await failure(a)).code).toBe('cancelled');
    expect(service.waitedBy('b')).toEqual([key]); // b still waits: the job goes on
    service.releaseAll('b');
    expect((await failure(b)).code).toBe('cancelled');
    expect(
      heard
        .filter(([, p]) => p.state === 'cancelled')
        .map(([room]) => room)
        .sort(),
    ).toEqual(['room-a', 'room-b']);
    await waitFor(() => pool.pending === 0, { what: 'the worker freed' });
  });

  it('answers "unavailable" when switched off, without a pool, or too busy', async () => {
    const off = new ComputeService(pool, { ...OPTIONS, enabled: false });
    expect(await off.request(predict('mnist/003-0.png'))).toMatchObject({
      status: 'unavailable',
      reason: 'server compute is switched off',
    });
    const none = new ComputeService(null, { ...OPTIONS });
    expect(none.enabled).toBe(false);
    expect(await none.request(predict('mnist/003-0.png'))).toMatchObject({ status: 'unavailable' });
    const busy = new ComputeService(pool, { ...OPTIONS, maxPending: 0 });
    expect(await busy.request(predict('mnist/003-0.png'))).toMatchObject({
      status: 'unavailable',
      reason: 'the server is busy',
    });
  });

  it('refuses a request over the forward-pass bound before any work, and reports failures to the room', async () => {
    const service = new ComputeService(pool, {
      ...OPTIONS,
      maxForwardPasses: 100,
      costFacts: async () => ({ inputSize: { height: 28, width: 28 } }),
    });
    const heard: ComputeProgress[] = [];
    service.onProgress((_, progress) => heard.push(progress));
    const costly = await failure(service.request(longOcclusion(1), { id: 'x', room: 'r' }));
    expect(costly.code).toBe('too-costly');
    expect(costly.message).toMatch(/forward passes; the limit is 100/);
    expect(heard.at(-1)).toMatchObject({ state: 'failed', code: 'too-costly' });
    expect(pool.pending).toBe(0);

    const missing = await failure(
      service.request(predict('mnist/no-such-image.png'), { id: 'y', room: 'r' }),
    );
    expect(missing.code).not.toBe('cancelled');
    expect(heard.at(-1)).toMatchObject({ state: 'failed' });
  });
});

describe('the worker pool queue', () => {
  it('moves a queued job up when it is raised to the shared view, and says how many are ahead', async () => {
    const pool = new WorkerPool({ size: 1 });
    try {
      const order: string[] = [];
      const ahead: Record<string, number[]> = { one: [], two: [] };
      const busy = pool.run(longOcclusion(2));
      const one = pool.submit(predict('mnist/004-1.png'), {
        onState: (s) => s.state === 'queued' && ahead.one.push(s.ahead),
      });
      const two = pool.submit(predict('mnist/005-6.png'), {
        onState: (s) => s.state === 'queued' && ahead.two.push(s.ahead),
      });
      expect(pool.pending).toBe(3);
      two.setPriority('shared');
      expect(ahead.two.at(-1)).toBe(0);
      expect(ahead.one.at(-1)).toBe(1);
      await Promise.all([
        busy,
        one.promise.then(() => order.push('one')),
        two.promise.then(() => order.push('two')),
      ]);
      expect(order).toEqual(['two', 'one']);
      expect(pool.pending).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
