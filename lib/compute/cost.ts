import type { ComputeRequest } from '../protocol/compute';
import { gridCells } from '../protocol/occlusion-grid';

export interface CostFacts {
  /** The model's input size in pixels. */
  inputSize: { height: number; width: number };
  /** Images in the requested image set (top-activating). */
  imageSetSize?: number;
}

/**
 * How many forward passes a request takes, known before it is queued: occlusion
 * positions (rows·cols), images scanned, three per feature-visualisation step and image, or one pass. The server refuses requests
 * over its limit (docs/limits.md) before any work starts.
 */
export function forwardPasses(request: ComputeRequest, facts: CostFacts): number {
  switch (request.kind) {
    case 'model-info':
    case 'filters':
      return 0;
    case 'predict':
    case 'activations':
      return 1;
    case 'probe':
      return 2;
    case 'occlusion': {
      const { height, width } = facts.inputSize;
      // A patch larger than the image is refused by the run itself, with its own message.
      if (request.patch > height || request.patch > width) return 0;
      return (
        gridCells(height, request.patch, request.stride) * gridCells(width, request.patch, request.stride)
      );
    }
    case 'top-activating':
      return facts.imageSetSize ?? 0;
    case 'feature-vis':
      // Each step is a forward and a backward pass (about two more) per image.
      return request.steps * request.images * 3;
    default:
      return assertNever(request);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown compute request ${JSON.stringify(value)}`);
}
