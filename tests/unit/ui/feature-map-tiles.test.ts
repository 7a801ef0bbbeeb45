import { describe, expect, it } from 'vitest';
import {
  channelArgmax,
  channelPeaks,
  channelTile,
  channelValues,
  strongestFirst,
} from '@/app/_ui/viz/feature-map-tiles';
import type { FeatureMaps } from '@/lib/protocol/results';

// 2×2 positions, 3 channels, HWC: channel c at (y, x) is data[(y * 2 + x) * 3 + c].
const maps: FeatureMaps = {
  layer: 'c',
  height: 2,
  width: 2,
  channels: 3,
  data: Float32Array.from([0, 5, -1, 1, 2, -2, 2, 0, -3, 3, 1, -4]),
};

describe('feature map tiles', () => {
  it('reads one channel row-major and finds its peak and where it is', () => {
    expect([...channelValues(maps, 0)]).toEqual([0, 1, 2, 3]);
    expect([...channelPeaks(maps)]).toEqual([3, 5, -1]);
    expect(channelArgmax(maps, 0)).toEqual({ y: 1, x: 1 });
    expect(channelArgmax(maps, 1)).toEqual({ y: 0, x: 0 });
  });

  it('orders channels strongest first', () => {
    expect(strongestFirst(channelPeaks(maps))).toEqual([1, 0, 2]);
  });

  it('stretches each channel over its own range', () => {
    const lut = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255]);
    const tile = channelTile(maps, 2, lut);
    expect(tile).toMatchObject({ height: 2, width: 2 });
    // -1 is the channel's maximum (white), -4 its minimum (black).
    expect(tile.data[0]).toBe(255);
    expect(tile.data[12]).toBe(0);
  });
});
