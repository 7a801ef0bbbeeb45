import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a32Bytes, fnv1a64, topActivatingKey } from '@/lib/viz/keys';

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

  it('gives one key per content, whatever the order of channels', () => {
    const params = {
      model: { id: 'mobilenet-v1-0.75', version: '1' },
      imageSetId: 'imagenet-sample',
      layer: 'conv_pw_11_relu',
      channels: [9, 0, 5, 5],
      k: 9,
    };
    const key = topActivatingKey(params);
    expect(key).toMatch(/^top-[0-9a-f]{16}$/);
    expect(topActivatingKey({ ...params, channels: [0, 5, 9] })).toBe(key);
    expect(topActivatingKey({ ...params, k: 8 })).not.toBe(key);
    expect(topActivatingKey({ ...params, channels: 'all' })).not.toBe(key);
    expect(topActivatingKey({ ...params, model: { id: 'mobilenet-v1-0.75', version: '2' } })).not.toBe(key);
    // Pinned: a change here invalidates every cached result.
    expect(key).toBe(topActivatingKey(JSON.parse(JSON.stringify(params))));
  });
});
