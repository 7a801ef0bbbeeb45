import { decodeResult } from '../../lib/compute/codec';
import type { ProbeResult } from '../../lib/compute/types';
import { truthRequest } from '../../lib/exercises/requests';
import type { Measured } from '../../lib/exercises/results';
import type { ExerciseTask } from '../../lib/protocol/exercise';
import type { OcclusionMap } from '../../lib/viz';
import type { ComputeService } from '../compute/service';

export class TruthUnavailable extends Error {}

export interface MeasureOptions {
  /** A busy pool answers "unavailable" at once: ask again this many times… */
  attempts: number;
  /** …this far apart. */
  waitMs: number;
}

const DEFAULTS: MeasureOptions = { attempts: 40, waitMs: 250 };

/** What the model really does for a task, from the compute service (its cache, or a fresh job). */
export async function measure(
  compute: ComputeService,
  task: ExerciseTask,
  options: MeasureOptions = DEFAULTS,
): Promise<Measured> {
  const request = truthRequest(task);
  for (let attempt = 1; ; attempt++) {
    const answer = await compute.request(request);
    if (answer.status === 'done') {
      if (task.kind === 'occlusion') {
        const map = decodeResult<OcclusionMap>(answer.result);
        return { kind: 'occlusion', classIndex: map.classIndex, baseProb: map.baseProb, drop: map.drop };
      }
      const probe = decodeResult<ProbeResult>(answer.result);
      return { kind: 'probe', classIndex: probe.classIndex, prob: probe.prob };
    }
    if (!compute.enabled || attempt >= options.attempts) throw new TruthUnavailable(answer.reason);
    await new Promise((resolve) => setTimeout(resolve, options.waitMs));
  }
}
