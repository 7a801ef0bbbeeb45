import { describe, expect, it } from 'vitest';
import { forwardPasses } from '@/lib/compute/cost';
import type { ComputeRequest } from '@/lib/protocol/compute';
import { DEFAULT_MAX_FORWARD_PASSES } from '@/server/compute/service';

const imagenet = { inputSize: { height: 224, width: 224 } };
const occlusion = (patch: number, stride: number): ComputeRequest => ({
  kind: 'occlusion',
  modelId: 'mobilenet-v1-0.25',
  imageId: 'test-images/dog.jpg',
  patch,
  stride,
  fill: 'grey',
  classIndex: null,
});

describe('forward passes of a request, known before it is queued', () => {
  it('counts occlusion positions: patch 1, stride 1 on 224×224 is the 50,176 of issue 10, over the limit', () => {
    expect(forwardPasses(occlusion(1, 1), imagenet)).toBe(50_176);
    expect(forwardPasses(occlusion(1, 1), imagenet)).toBeGreaterThan(DEFAULT_MAX_FORWARD_PASSES);
  });

  it('keeps classroom settings under the limit', () => {
    expect(forwardPasses(occlusion(16, 8), imagenet)).toBe(27 * 27);
    expect(forwardPasses(occlusion(8, 4), imagenet)).toBe(55 * 55);
    expect(forwardPasses(occlusion(8, 4), imagenet)).toBeLessThanOrEqual(DEFAULT_MAX_FORWARD_PASSES);
  });

  it('counts the images a top-activating scan reads, and one pass for single-image results', () => {
    const top: ComputeRequest = {
      kind: 'top-activating',
      modelId: 'm',
      imageSetId: 'imagenet-sample',
      layer: 'conv1',
      channels: [0],
      k: 8,
    };
    expect(forwardPasses(top, { ...imagenet, imageSetSize: 1000 })).toBe(1000);
    expect(forwardPasses({ kind: 'predict', modelId: 'm', imageId: 'a/b.png' }, imagenet)).toBe(1);
    expect(forwardPasses({ kind: 'filters', modelId: 'm', layer: 'conv1' }, imagenet)).toBe(0);
  });

  it('leaves a patch larger than the image to the run, which refuses it by name', () => {
    expect(forwardPasses(occlusion(300, 8), imagenet)).toBe(0);
  });
});
