// Storing an uploaded photo: a JPEG or PNG that sharp can decode, kept once under the hash of its bytes, with
// the name it was sent with beside it (the first name a content arrives with is kept).
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { sanitizeOriginalName } from './original-name';

export const MAX_IMAGE_UPLOAD_BYTES = 8 * 1024 * 1024;
/** Decoded size bound (width × height), checked from the header before any pixel is decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** Content-addressed upload file names: 128 bits of SHA-256 and the format. */
export const UPLOAD_FILE = /^[0-9a-f]{32}\.(jpg|png)$/;

export class ImageUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageUploadError';
  }
}

export interface StoredImage {
  file: string;
  originalName?: string;
}

/** The sidecar of an upload: `<hash>.json` next to `<hash>.jpg|png`. */
export function sidecarOf(file: string): string {
  return file.replace(/\.(jpg|png)$/, '.json');
}

export async function storeImageUpload(
  bytes: Buffer,
  uploadsDir: string,
  sentName?: string | null,
): Promise<StoredImage> {
  const format = await checkImage(bytes);
  const file = `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${format === 'jpeg' ? 'jpg' : 'png'}`;
  await mkdir(uploadsDir, { recursive: true });
  await writeOnce(join(uploadsDir, file), bytes);
  const sent = sanitizeOriginalName(sentName);
  if (sent) await writeOnce(join(uploadsDir, sidecarOf(file)), `${JSON.stringify({ originalName: sent })}\n`);
  // The same photo sent earlier under another name keeps that name.
  const originalName = await readOriginalName(uploadsDir, file);
  return { file, ...(originalName ? { originalName } : {}) };
}

const sidecarSchema = z.object({ originalName: z.string() });

/** The stored original name of an upload, if it came with one (sanitised again on the way out). */
export async function readOriginalName(uploadsDir: string, file: string): Promise<string | undefined> {
  const text = await readFile(join(uploadsDir, sidecarOf(file)), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return sanitizeOriginalName(sidecarSchema.parse(JSON.parse(text)).originalName);
  } catch {
    return undefined;
  }
}

async function checkImage(bytes: Buffer): Promise<'jpeg' | 'png'> {
  let format: string | undefined;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    format = meta.format;
    if (!meta.width || !meta.height) throw new Error('no size');
    await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).stats();
  } catch {
    throw new ImageUploadError('the file is not a readable JPEG or PNG image');
  }
  if (format !== 'jpeg' && format !== 'png') {
    throw new ImageUploadError(`the file is ${format ?? 'not an image'}, not a JPEG or PNG`);
  }
  return format;
}

/**
 * Writes a complete file under `path` unless one is there already: written aside, then hard-linked into
 * place (link never replaces an existing file), so readers never see a partial file and nothing is overwritten.
 */
async function writeOnce(path: string, data: string | Uint8Array): Promise<void> {
  const aside = `${path}.${randomUUID()}.partial`;
  await writeFile(aside, data, { flag: 'wx' });
  try {
    await link(aside, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}
