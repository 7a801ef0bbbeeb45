import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult } from '@/lib/compute/codec';

describe('result codec', () => {
  it('round-trips nested typed arrays of every kind through one byte buffer', () => {
    const value = {
      prob: Float32Array.of(0.25, 0.5, 1e-7),
      tiles: Array.from({ length: 30 }, (_, i) => ({ h: 1, data: Uint8ClampedArray.of(i, 255, 3) })),
      ids: Int32Array.of(-1, 2 ** 30),
      raw: Uint8Array.of(7),
      label: 'dog',
      nested: { n: null, list: [1, 'a'] },
    };
    const encoded = encodeResult(value);
    expect(encoded.bytes).toBeInstanceOf(Uint8Array);
    const decoded = decodeResult<typeof value>(encoded);
    expect(decoded).toEqual(value);
    expect(decoded.prob).toBeInstanceOf(Float32Array);
    expect(decoded.tiles[29].data).toBeInstanceOf(Uint8ClampedArray);
  });

  it('decodes bytes that arrive as a Buffer slice at an odd offset (as Socket.io delivers them in Node)', () => {
    const encoded = encodeResult({ x: Float32Array.of(1, 2, 3) });
    const padded = Buffer.alloc(encoded.bytes.byteLength + 3);
    padded.set(encoded.bytes, 3);
    const decoded = decodeResult<{ x: Float32Array }>({ meta: encoded.meta, bytes: padded.subarray(3) });
    expect(Array.from(decoded.x)).toEqual([1, 2, 3]);
  });

  it('refuses an encoding that points outside its bytes', () => {
    const bad = { meta: { x: { $typed: 'f32', offset: 0, length: 4 } }, bytes: new Uint8Array(8) };
    expect(() => decodeResult(bad)).toThrow(/outside/);
  });
});
