import { decodeResult, type EncodedResult } from '../../lib/protocol/codec';
import { type ComputeRequest, resultKey } from '../../lib/protocol/compute';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { LessonPrepProgress, LessonStep } from '../../lib/protocol/lesson-prep';
import type { ModelInfoResult } from '../../lib/protocol/results';
import type { SessionState } from '../../lib/protocol/state';
import { reduce } from '../../lib/session/reducer';
import { sharedViewRequests } from '../../lib/session/shared-view';
import { DEFAULT_OCCLUSION, initialState } from '../../lib/session/state';
import type { ComputeService, Waiter } from './service';

/** Jobs of one preparation in flight at once: the rest of the lesson waits its turn. */
const CONCURRENCY = 2;
const MAX_REPORTED_FAILURES = 5;

/** The shared view's states along a session's log: one per event. */
export function statesOfHistory(events: readonly LoggedEvent[]): SessionState[] {
  const states: SessionState[] = [];
  let state = initialState();
  for (const event of events) {
    state = reduce(state, event);
    states.push(state);
  }
  return states;
}

export function statesOfPlan(steps: LessonStep[]): SessionState[] {
  return steps.map((step) => ({
    ...initialState(),
    ...step,
    occlusion: step.occlusion ?? DEFAULT_OCCLUSION,
  }));
}

export interface LessonPrep {
  /** Resolves with the last progress when every result is settled or the preparation was cancelled. */
  readonly finished: Promise<LessonPrepProgress>;
  cancel(): void;
}

/**
 * Computes ahead, at the lowest priority, every result the shared view needs in these
 * states, so that the lecture only reads stored results. Results already stored are
 * not computed again (the compute service answers them from the database).
 */
export function prepareLesson(
  compute: ComputeService,
  states: SessionState[],
  options: {
    waiter: Omit<Waiter, 'priority'>;
    imageSets: string[];
    onProgress: (progress: LessonPrepProgress) => void;
  },
): LessonPrep {
  const waiter: Waiter = { ...options.waiter, priority: 'prepare' };
  let cancelled = false;
  const progress: LessonPrepProgress = { state: 'running', total: 0, done: 0, stored: 0, failed: [] };

  const ask = async (request: ComputeRequest): Promise<unknown> => {
    try {
      const answer = await compute.request(request, waiter);
      if (answer.status === 'unavailable') throw new Error(answer.reason);
      if (answer.origin.cached) progress.stored++;
      return answer.result;
    } catch (error) {
      if (progress.failed.length < MAX_REPORTED_FAILURES && !cancelled)
        progress.failed.push({ kind: request.kind, reason: (error as Error).message });
      return null;
    } finally {
      progress.done++;
      if (!cancelled) options.onProgress({ ...progress });
    }
  };

  const finished = (async () => {
    const modelIds = [...new Set(states.map((s) => s.modelId).filter(Boolean))];
    const requests = new Map<string, ComputeRequest>();
    for (const modelId of modelIds)
      requests.set(resultKey({ kind: 'model-info', modelId }), { kind: 'model-info', modelId });
    progress.total = requests.size;
    const infos = new Map<string, ModelInfoResult | null>();
    await Promise.all(
      modelIds.map(async (modelId) => {
        const encoded = await ask({ kind: 'model-info', modelId });
        infos.set(modelId, encoded ? decodeResult(encoded as EncodedResult<ModelInfoResult>) : null);
      }),
    );
    for (const state of states) {
      const info = infos.get(state.modelId) ?? null;
      for (const request of sharedViewRequests(state, { info, imageSets: options.imageSets }))
        if (!requests.has(resultKey(request))) requests.set(resultKey(request), request);
    }
    const queue = [...requests.values()].filter((r) => r.kind !== 'model-info');
    progress.total = requests.size;
    options.onProgress({ ...progress });
    const worker = async () => {
      for (let next = queue.shift(); next && !cancelled; next = queue.shift()) await ask(next);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    progress.state = cancelled ? 'cancelled' : 'done';
    options.onProgress({ ...progress });
    return { ...progress };
  })();

  return {
    finished,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      compute.releaseAll(waiter.id);
    },
  };
}
