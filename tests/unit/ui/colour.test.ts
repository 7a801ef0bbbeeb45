import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import {
  colourLut,
  cosineInterpolator,
  lutIndex,
  parseCssColour,
  rgbaCss,
  valuesToRgba,
} from '@/app/_ui/viz/colour';

describe('parseCssColour', () => {
  it('reads rgb(), #rrggbb and #rgb', () => {
    expect(parseCssColour('rgb(103, 0, 31)')).toEqual([103, 0, 31]);
    expect(parseCssColour('#6a176e')).toEqual([0x6a, 0x17, 0x6e]);
    expect(parseCssColour('#fa0')).toEqual([255, 170, 0]);
  });

  it('rejects anything else', () => {
    expect(() => parseCssColour('red')).toThrow(/unsupported/);
  });
});

describe('colourLut', () => {
  it('samples the colour map from t = 0 to t = 1, with alpha from alphaOf', () => {
    const lut = colourLut(interpolateViridis, 3, (t) => t);
    expect(lut.length).toBe(12);
    expect([...lut.subarray(0, 4)]).toEqual([...parseCssColour(interpolateViridis(0)), 0]);
    expect([...lut.subarray(4, 8)]).toEqual([...parseCssColour(interpolateViridis(0.5)), 128]);
    expect([...lut.subarray(8, 12)]).toEqual([...parseCssColour(interpolateViridis(1)), 255]);
  });

  it('is opaque by default', () => {
    const lut = colourLut(interpolateViridis, 4);
    expect([lut[3], lut[7], lut[11], lut[15]]).toEqual([255, 255, 255, 255]);
  });
});

describe('lutIndex and valuesToRgba', () => {
  it('maps min..max onto the table, clamping outside values', () => {
    expect(lutIndex(-1, -1, 1, 256)).toBe(0);
    expect(lutIndex(1, -1, 1, 256)).toBe(255);
    expect(lutIndex(0, -1, 1, 256)).toBe(128);
    expect(lutIndex(5, -1, 1, 256)).toBe(255);
    expect(lutIndex(-5, -1, 1, 256)).toBe(0);
    expect(lutIndex(Number.NaN, -1, 1, 256)).toBe(-1);
    expect(lutIndex(3, 3, 3, 256)).toBe(0);
  });

  it('writes one RGBA pixel per value and leaves NaN transparent', () => {
    const lut = Uint8ClampedArray.from([0, 0, 0, 255, 255, 255, 255, 255]);
    const out = valuesToRgba([0, 1, Number.NaN, 0.2], 0, 1, lut);
    expect([...out]).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 255]);
  });

  it('formats an entry as CSS', () => {
    expect(rgbaCss(Uint8ClampedArray.from([10, 20, 30, 255]), 0)).toBe('rgba(10, 20, 30, 1.000)');
  });
});

describe('cosineInterpolator', () => {
  it('puts alike filters (cos 1) at the red end and opposite ones at the blue end', () => {
    expect(cosineInterpolator(1)).toBe(interpolateRdBu(0));
    expect(cosineInterpolator(0)).toBe(interpolateRdBu(1));
    const [r, , b] = parseCssColour(cosineInterpolator(1));
    expect(r).toBeGreaterThan(b);
  });
});
