// Image folders as a top-activating source: files decoded with sharp a few at a time ahead of the
// forward passes (sharp decodes off the main thread, so decoding overlaps the network).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelManifest } from '@/lib/models/types';
import type { SourceImage } from '@/lib/viz';
import { decodeForModel } from '@/server/images/decode';

const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

/** Image files directly in `dir`, sorted by name. */
export function imageFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => IMAGE_FILE.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export interface DecodeAheadOptions {
  /** Decodes in flight (default 4). */
  ahead?: number;
  /** Image id from the file path (default: the file name). */
  idOf?: (file: string) => string;
}

/** The files decoded at the model's input size, in order, `ahead` decodes in flight. */
export async function* decodeFilesAhead(
  files: readonly string[],
  manifest: ModelManifest,
  options: DecodeAheadOptions = {},
): AsyncGenerator<SourceImage> {
  const ahead = Math.max(1, options.ahead ?? 4);
  const idOf = options.idOf ?? ((file: string) => path.basename(file));
  const decode = async (file: string): Promise<SourceImage> => ({
    id: idOf(file),
    pixels: await decodeForModel(file, manifest),
  });
  const pending = files.slice(0, ahead).map(decode);
  // Rejections surface in order when their turn comes; keep the rest from going unhandled meanwhile.
  for (const p of pending) p.catch(() => undefined);
  for (let i = 0; i < files.length; i++) {
    const next = pending.shift()!;
    if (i + ahead < files.length) {
      const later = decode(files[i + ahead]);
      later.catch(() => undefined);
      pending.push(later);
    }
    yield await next;
  }
}
