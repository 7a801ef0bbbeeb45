import { describe, expect, it } from 'vitest';
import { VIEWS } from '@/lib/protocol/actions';
import type { LayerInfo } from '@/lib/protocol/model';
import { isOneByOne, layerExplanation, VIEW_EXPLANATIONS } from '@/lib/viz';

const layer = (kind: LayerInfo['kind'], kernel?: [number, number]): LayerInfo => ({
  name: 'l',
  kind,
  className: 'X',
  outputShape: [7, 7, 8],
  inbound: [],
  ...(kernel ? { geometry: { kernel, stride: [1, 1], dilation: [1, 1], padBefore: [0, 0] } } : {}),
});

describe('what am I seeing', () => {
  it('has a paragraph for every view', () => {
    for (const view of VIEWS) expect(VIEW_EXPLANATIONS[view].length).toBeGreaterThan(100);
  });

  it('says why a 1×1 convolution has no picture, and only for 1×1 kernels', () => {
    expect(isOneByOne(layer('conv2d', [1, 1]))).toBe(true);
    expect(isOneByOne(layer('conv2d', [3, 3]))).toBe(false);
    expect(isOneByOne(layer('max-pool', [1, 1]))).toBe(false);
    expect(layerExplanation(layer('conv2d', [1, 1]))).toMatch(/no spatial picture/);
    expect(layerExplanation(layer('conv2d', [3, 3]))).not.toMatch(/1×1/);
  });

  it('explains pooling and depthwise layers, and nothing for kinds it does not know', () => {
    expect(layerExplanation(layer('max-pool', [2, 2]))).toMatch(/largest value/);
    expect(layerExplanation(layer('depthwise-conv2d', [3, 3]))).toMatch(/each input channel on its own/);
    expect(layerExplanation(layer('other'))).toBeNull();
  });
});
