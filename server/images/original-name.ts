// The name an uploaded photo was sent with, made safe to store and show: no folders, no control or
// direction-changing characters, at most MAX_ORIGINAL_NAME characters (keeping the extension).

export const MAX_ORIGINAL_NAME = 120;

export function sanitizeOriginalName(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (!cleaned || cleaned === '.' || cleaned === '..') return undefined;
  const characters = [...cleaned];
  if (characters.length <= MAX_ORIGINAL_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  const stem = [...cleaned.slice(0, cleaned.length - extension.length)];
  return `${stem
    .slice(0, MAX_ORIGINAL_NAME - 1 - [...extension].length)
    .join('')
    .trimEnd()}…${extension}`;
}
