import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, ManifestError, parseManifest } from '@/lib/models/manifest';

const minimal = { id: 'digits', inputSize: { height: 28, width: 28, channels: 1 } };

describe('parseManifest', () => {
  it('fills defaults: name, x/255 stretch preprocessing, softmax, model.json, empty labels', () => {
    expect(parseManifest(minimal)).toEqual({
      id: 'digits',
      name: 'digits',
      source: 'unknown',
      inputSize: { height: 28, width: 28, channels: 1 },
      preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1 / 255, offset: 0, channels: 1 },
      labels: [],
      output: 'softmax',
      modelUrl: 'model.json',
    });
  });

  it('keeps what is given', () => {
    const manifest = parseManifest({
      ...minimal,
      inputSize: { height: 227, width: 227, channels: 3 },
      preprocessing: {
        resize: 'shorter-side-then-center-crop',
        resizeTo: 256,
        mean: [123, 117, 104],
        scale: 1,
      },
      labels: ['a', 'b'],
      output: 'logits',
      accuracy: { value: 0.98, dataset: 'held out' },
    });
    expect(manifest.preprocessing).toEqual({
      resize: 'shorter-side-then-center-crop',
      resizeTo: 256,
      mean: [123, 117, 104],
      scale: 1,
      offset: 0,
      channels: 3,
    });
    expect(manifest.output).toBe('logits');
    expect(manifest.accuracy).toEqual({ value: 0.98, dataset: 'held out' });
  });

  it('names the field and the allowed values in errors', () => {
    const bad = {
      ...minimal,
      inputSize: { height: 28, width: 28, channels: 2 },
      preprocessing: { resize: 'squash' },
      output: 'probabilities',
    };
    let error: unknown;
    try {
      parseManifest(bad, { where: 'manifest.json' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const message = (error as Error).message;
    expect(message).toContain('(manifest.json)');
    expect(message).toMatch(/inputSize\.channels: .*1\|3/);
    expect(message).toMatch(
      /preprocessing\.resize: .*"shorter-side-then-center-crop"\|"center-crop-square-then-resize"\|"stretch"/,
    );
    expect(message).toMatch(/output: .*"softmax"\|"logits"/);
  });

  it('requires resizeTo for shorter-side resizing, a plain id, and a safe model URL', () => {
    expect(() =>
      parseManifest({ ...minimal, preprocessing: { resize: 'shorter-side-then-center-crop' } }),
    ).toThrow(/preprocessing\.resizeTo: resizeTo is required/);
    expect(() => parseManifest({ ...minimal, id: '../etc' })).toThrow(/id: expected 1-64 letters/);
    expect(() => parseManifest({ ...minimal, modelUrl: '../../model.json' })).toThrow(
      /modelUrl: expected a relative path/,
    );
    expect(parseManifest({ ...minimal, modelUrl: 'https://example.org/m/model.json' }).modelUrl).toMatch(
      /^https:/,
    );
    expect(() => parseManifest({ ...minimal, modelUrl: 'http://example.org/model.json' })).toThrow(
      /modelUrl/,
    );
  });

  it('checks that preprocessing and input agree on channels', () => {
    expect(() => parseManifest({ ...minimal, preprocessing: { channels: 3 } })).toThrow(
      /differs from inputSize\.channels/,
    );
  });
});

describe('isSafeRelativePath', () => {
  it.each([
    ['group1-shard1of1.bin', true],
    ['weights/part-1.bin', true],
    ['../secret', false],
    ['a/../../b', false],
    ['/etc/passwd', false],
    ['C:\\weights.bin', false],
    ['file:///etc/passwd', false],
    ['a//b', false],
    ['./a', false],
    ['', false],
  ])('%s → %s', (path, safe) => {
    expect(isSafeRelativePath(path)).toBe(safe);
  });
});
