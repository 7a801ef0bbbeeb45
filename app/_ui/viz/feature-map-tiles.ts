// One channel of a layer's feature maps as a picture: each channel stretched over its own range,
// so a weak channel still shows its pattern (its peak is printed beside it).
import { interpolateInferno } from 'd3-scale-chromatic';
import type { FeatureMaps, RgbaTile } from '@/lib/protocol/results';
import { colourLut, valuesToRgba } from './colour';

export const FEATURE_MAP_LUT = colourLut(interpolateInferno);

/** The largest value of each channel (HWC data). */
export function channelPeaks(maps: FeatureMaps): Float32Array {
  const { channels, data } = maps;
  const peaks = new Float32Array(channels).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    if (data[i] > peaks[c]) peaks[c] = data[i];
  }
  return peaks;
}

/** Channel indices, strongest peak first. */
export function strongestFirst(peaks: Float32Array): number[] {
  return Array.from(peaks.keys()).sort((a, b) => peaks[b] - peaks[a] || a - b);
}

/** The values of one channel, row-major. */
export function channelValues(maps: FeatureMaps, channel: number): Float32Array {
  const { height, width, channels, data } = maps;
  const out = new Float32Array(height * width);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels + channel];
  return out;
}

/** The position of a channel's largest value. */
export function channelArgmax(maps: FeatureMaps, channel: number): { y: number; x: number } {
  const values = channelValues(maps, channel);
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return { y: Math.floor(best / maps.width), x: best % maps.width };
}

/** A channel as an RGBA tile, from its own minimum (dark) to its own maximum (bright). */
export function channelTile(maps: FeatureMaps, channel: number, lut = FEATURE_MAP_LUT): RgbaTile {
  const values = channelValues(maps, channel);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { height: maps.height, width: maps.width, data: valuesToRgba(values, min, max, lut) };
}

/** The mean over channels at each position, as a tile: where the layer as a whole responds. */
export function meanTile(maps: FeatureMaps, lut = FEATURE_MAP_LUT): RgbaTile {
  const { height, width, channels, data } = maps;
  const mean = new Float32Array(height * width);
  for (let i = 0; i < mean.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += data[i * channels + c];
    mean[i] = sum / Math.max(channels, 1);
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of mean) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { height, width, data: valuesToRgba(mean, min, max, lut) };
}
