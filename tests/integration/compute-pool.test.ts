import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComputeJobState, ComputeRequest } from '@/lib/protocol/compute';
import { WorkerPool } from '@/server/compute/worker-pool';
import { failure, longOcclusion } from '../helpers/compute-requests';

const TRAPPING_ENTRY = new URL('../helpers/trapping-worker-entry.mjs', import.meta.url);

const predict: ComputeRequest = { kind: 'predict', modelId: 'mnist-cnn', imageId: 'mnist/001-7.png' };

describe('the worker pool', () => {
  let pool: WorkerPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('frees the worker within one batch of a cancellation', async () => {
    pool = new WorkerPool({ size: 1 });
    await pool.run(predict); // the worker has its backend and the model
    const controller = new AbortController();
    const states: ComputeJobState[] = [];
    let afterCancel = 0;
    const job = pool.run(longOcclusion(4), {
      signal: controller.signal,
      onState: (state) => {
        states.push(state);
        if (controller.signal.aborted && state.state === 'running') afterCancel++;
        // Cancelled as the first batch reports, not some polls later: reports already sent by then would
        // count against the worker.
        if (state.state === 'running' && state.done > 0 && !controller.signal.aborted) controller.abort();
      },
    });
    const error = await failure(job);
    expect(error.code).toBe('cancelled');
    // The batch in flight when the cancel came may still report; no other.
    expect(afterCancel).toBeLessThanOrEqual(1);
    expect(pool.running).toBe(0);
    const last = states.findLast((s) => s.state === 'running');
    expect(last && last.state === 'running' && last.done).toBeLessThan(729);
    await expect(pool.run(predict)).resolves.toMatchObject({ backend: expect.any(String) });
  });

  it('lets go of a long-lived signal when each job ends (an atlas build sends one job a step)', async () => {
    pool = new WorkerPool({ size: 1 });
    const controller = new AbortController();
    for (let i = 0; i < 12; i++) await pool.run(predict, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('drops a cancelled job from the queue and tells the others how many jobs are ahead', async () => {
    pool = new WorkerPool({ size: 1 });
    const running = pool.run(longOcclusion(1));
    const queued: Record<string, ComputeJobState[]> = { a: [], b: [] };
    const cancelA = new AbortController();
    const a = pool.run(longOcclusion(2), { signal: cancelA.signal, onState: (s) => queued.a.push(s) });
    const b = pool.run(predict, { onState: (s) => queued.b.push(s) });
    expect(queued.a).toEqual([{ state: 'queued', ahead: 0 }]);
    expect(queued.b).toEqual([{ state: 'queued', ahead: 1 }]);
    cancelA.abort();
    expect((await failure(a)).code).toBe('cancelled');
    expect(queued.b.at(-1)).toEqual({ state: 'queued', ahead: 0 });
    await Promise.all([running, b]);
    expect(queued.b.at(-1)).toMatchObject({ state: 'running' });
  });

  it('serves the shared view before free exploration', async () => {
    pool = new WorkerPool({ size: 1 });
    const order: string[] = [];
    const first = pool.run(longOcclusion(3));
    const explore = pool.run(predict, { priority: 'explore' }).then(() => order.push('explore'));
    const shared = pool
      .run({ ...predict, imageId: 'mnist/002-6.png' }, { priority: 'shared' })
      .then(() => order.push('shared'));
    await Promise.all([first, explore, shared]);
    expect(order).toEqual(['shared', 'explore']);
  });

  it('keeps a worker for the shared view: it starts at once while exploration holds the others, and takes no exploration', async () => {
    pool = new WorkerPool({ size: 1, sharedLane: true });
    const stop = new AbortController();
    const long = pool.run(longOcclusion(7), { signal: stop.signal });
    const exploring: ComputeJobState[] = [];
    const explore = pool.run(predict, { onState: (s) => exploring.push(s) });
    const sharing: ComputeJobState[] = [];
    const shared = pool.run(
      { ...predict, imageId: 'mnist/002-6.png' },
      { priority: 'shared', onState: (s) => sharing.push(s) },
    );
    expect(exploring).toEqual([{ state: 'queued', ahead: 0 }]);
    expect(sharing[0]).toEqual({ state: 'running', done: 0 });
    expect(pool.running).toBe(2);
    await expect(shared).resolves.toMatchObject({ backend: expect.any(String) });
    stop.abort();
    await long.catch(() => undefined);
    await expect(explore).resolves.toMatchObject({ backend: expect.any(String) });
    // The lane took nothing but the shared job: the exploration waited for the regular worker.
    expect(exploring.findIndex((s) => s.state === 'running')).toBe(1);
  });

  it('stops a job at its time budget with a clear error, and the worker goes on', async () => {
    pool = new WorkerPool({ size: 1, budgetMs: 50, graceMs: 120_000 });
    await pool.run(predict);
    const error = await failure(pool.run(longOcclusion(5)));
    expect(error.code).toBe('compute-timeout');
    expect(error.message).toMatch(/time budget/);
    await expect(pool.run(predict)).resolves.toBeDefined();
    expect(pool.replaced).toBe(0);
  });

  it('replaces a worker whose wasm traps; its job fails clearly, the other jobs go on', async () => {
    pool = new WorkerPool({ size: 2, entry: TRAPPING_ENTRY });
    const other = pool.run(longOcclusion(6));
    const trapped = await failure(pool.run({ ...predict, imageId: 'mnist/029-3.png' }));
    expect(trapped.code).toBe('compute-failed');
    expect(trapped.message).toMatch(/replaced/);
    expect(pool.replaced).toBe(1);
    await expect(other).resolves.toMatchObject({ backend: expect.any(String) });
    // Every worker answers again: the broken one is gone.
    const after = await Promise.all(
      [1, 2, 3, 4].map((i) => pool!.run({ ...predict, imageId: `mnist/00${i}-${[7, 6, 0, 1][i - 1]}.png` })),
    );
    expect(after).toHaveLength(4);
  });
});
