import { describe, expect, it } from 'vitest';
import { resultKey } from '@/lib/protocol/compute';
import { canonicalJson, fnv1a32Bytes, fnv1a64 } from '@/lib/protocol/hash';

describe('content keys', () => {
  it('hashes with FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    expect(fnv1a32Bytes(new TextEncoder().encode('a'))).toBe(0xe40c292c);
  });

  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });

  it('gives one result key per content, whatever the order of channels', () => {
    const request = {
      kind: 'top-activating' as const,
      modelId: 'mobilenet-v1-0.75',
      imageSetId: 'imagenet-sample',
      layer: 'conv_pw_11_relu',
      channels: [9, 0, 5, 5],
      k: 9,
    };
    const key = resultKey(request);
    expect(key).toMatch(/^top-activating-[0-9a-f]{16}$/);
    expect(resultKey({ ...request, channels: [0, 5, 9] })).toBe(key);
    expect(resultKey({ ...request, k: 8 })).not.toBe(key);
    expect(resultKey({ ...request, layer: 'conv_pw_12_relu' })).not.toBe(key);
  });
});
