import { describe, expect, it } from 'vitest';
import { MAX_ORIGINAL_NAME, sanitizeOriginalName } from '@/server/images/original-name';

describe('sanitizeOriginalName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitizeOriginalName('Pomeranian on the beach.JPG')).toBe('Pomeranian on the beach.JPG');
    expect(sanitizeOriginalName('café — été.png')).toBe('café — été.png');
  });

  it('drops folders, control, invisible and direction-changing characters, and squeezes spaces', () => {
    expect(sanitizeOriginalName('C:\\Users\\me\\Desktop\\cat.png')).toBe('cat.png');
    expect(sanitizeOriginalName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeOriginalName('evil\u202Egnp.exe')).toBe('evilgnp.exe');
    expect(sanitizeOriginalName('a\u0000b\u200Bc\n\td.png')).toBe('abc d.png');
    expect(sanitizeOriginalName('  spaced   out  .png ')).toBe('spaced out .png');
  });

  it('gives nothing for names that are empty once cleaned', () => {
    for (const name of [undefined, null, '', '   ', '/', 'a/..', '\u202E']) {
      expect(sanitizeOriginalName(name)).toBeUndefined();
    }
  });

  it(`caps the name at ${MAX_ORIGINAL_NAME} characters, keeping the extension`, () => {
    const long = sanitizeOriginalName(`${'ü'.repeat(400)}.jpeg`)!;
    expect([...long]).toHaveLength(MAX_ORIGINAL_NAME);
    expect(long.endsWith('ü….jpeg')).toBe(true);
    const noExtension = sanitizeOriginalName('y'.repeat(500))!;
    expect([...noExtension]).toHaveLength(MAX_ORIGINAL_NAME);
  });
});
