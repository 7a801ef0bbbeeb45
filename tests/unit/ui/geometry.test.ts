import { describe, expect, it } from 'vitest';
import { boxToPercent, boxToRect, canvasToInput, fitScale } from '@/app/_ui/viz/geometry';
import { pixelImageToRgba } from '@/app/_ui/viz/pixels';

describe('placement geometry', () => {
  const placement = { scale: 4, offset: { y: 10, x: 20 } };

  it('scales the longer side to the target', () => {
    expect(fitScale({ height: 96, width: 48 }, 384)).toBe(4);
    expect(fitScale({ height: 28, width: 28 }, 392)).toBe(14);
  });

  it('maps a half-open input box to canvas pixels, including negative (overhanging) corners', () => {
    expect(boxToRect([-2, 3, 5, 8], placement)).toEqual({ x: 32, y: 2, width: 20, height: 28 });
  });

  it('maps canvas points back to input pixels', () => {
    expect(canvasToInput({ y: 10, x: 20 }, placement)).toEqual({ y: 0, x: 0 });
    expect(canvasToInput({ y: 16, x: 22 }, placement)).toEqual({ y: 1.5, x: 0.5 });
  });

  it('places a box on a thumbnail as percentages', () => {
    expect(boxToPercent([0, 56, 112, 224], { height: 224, width: 224 })).toEqual({
      top: '0.000%',
      left: '25.000%',
      width: '75.000%',
      height: '50.000%',
    });
  });
});

describe('pixelImageToRgba', () => {
  it('expands grey and RGB pixels to opaque RGBA', () => {
    const grey = pixelImageToRgba({ height: 1, width: 2, channels: 1, data: Uint8Array.from([7, 9]) });
    expect([...grey]).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
    const rgb = pixelImageToRgba({ height: 1, width: 1, channels: 3, data: Uint8Array.from([1, 2, 3]) });
    expect([...rgb]).toEqual([1, 2, 3, 255]);
  });

  it('rejects a buffer of the wrong length', () => {
    expect(() => pixelImageToRgba({ height: 2, width: 2, channels: 3, data: new Uint8Array(5) })).toThrow(
      /expected 2x2x3/,
    );
  });
});
