import { describe, expect, it } from 'vitest';
import { clientMessage, withoutServerPaths } from '@/server/client-message';

describe('withoutServerPaths', () => {
  it('replaces absolute paths by their file name, wherever they stand', () => {
    expect(withoutServerPaths('cannot read /work/app/data/models-uploads/upload-1/model.json: ENOENT')).toBe(
      'cannot read model.json: ENOENT',
    );
    expect(withoutServerPaths('Input file is missing: /tmp/x/a b.png')).toBe(
      'Input file is missing: a b.png',
    );
    expect(
      withoutServerPaths('invalid model manifest (/srv/models/m/manifest.json): labels: too small'),
    ).toBe('invalid model manifest (manifest.json): labels: too small');
    expect(withoutServerPaths('"/home/u/x.jpg" and \'/var/y/\'')).toBe('"x.jpg" and \'(folder)\'');
  });

  it('leaves URLs, image ids, ratios and relative names alone', () => {
    for (const text of [
      'could not fetch https://example.com/models/a/model.json: HTTP 404',
      'unknown image "uploads/0123abcd.png"',
      'input scaled x/255, [224, 224, 3]',
      'weight file "group1-shard1of1.bin" is missing; upload-x/model.json',
      'a / b',
    ]) {
      expect(withoutServerPaths(text)).toBe(text);
    }
  });

  it('reads any thrown value', () => {
    expect(clientMessage(new Error('at /opt/convlens/server/x.ts'))).toBe('at x.ts');
    expect(clientMessage('plain')).toBe('plain');
  });
});
