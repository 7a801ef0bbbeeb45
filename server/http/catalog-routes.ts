import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { HwcPixels } from '../../lib/models/preprocess';
import type { CatalogImage, CatalogImageSet, ModelUploadResult } from '../../lib/protocol/http';
import type { ImageCatalog } from '../catalog/images';
import type { ModelFiles, ServedModel } from '../catalog/model-files';
import { decodeForModel } from '../images/decode';
import { ImageUploadError, MAX_IMAGE_UPLOAD_BYTES, storeImageUpload } from '../images/upload';
import { ModelUnavailableError } from '../models/catalog';
import { HttpError, sendJson } from './body';
import { sendFile } from './files';
import { receiveModelUpload } from './model-upload';

export interface CatalogDeps {
  models: ModelFiles;
  images: ImageCatalog;
}

const wasmDir = dirname(
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm'),
);
const WASM_FILES = new Set([
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]);

/** Models, image sets and the tfjs wasm binaries: everything a browser needs to compute by itself. */
export async function routeCatalog(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: CatalogDeps,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (pathname === '/api/models' && method === 'GET') {
    sendJson(res, 200, { models: await deps.models.list() });
    return true;
  }
  if (pathname === '/api/models' && method === 'POST') {
    const manifest = await receiveModelUpload(req);
    const result: ModelUploadResult = { id: manifest.id, name: manifest.name };
    sendJson(res, 201, result);
    return true;
  }
  const modelFile = /^\/api\/models\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (modelFile && method === 'GET') {
    const [, id, file] = modelFile.map(decodeURIComponent);
    const served = await servedModel(id, deps);
    if (file === 'manifest.json') {
      sendJson(res, 200, served.manifest);
      return true;
    }
    if (!served.files.has(file)) throw new HttpError(404, 'not-found', `model ${id} has no file ${file}`);
    await sendFile(res, join(served.directory, file));
    return true;
  }
  if (pathname === '/api/images' && method === 'GET') {
    const sets: CatalogImageSet[] = deps.images
      .listed()
      .map((set) => ({ id: set.id, name: set.name, images: set.images }));
    sendJson(res, 200, { sets });
    return true;
  }
  if (pathname === '/api/images' && method === 'POST') {
    sendJson(res, 201, await acceptImageUpload(req, deps.images));
    return true;
  }
  const imageFile = /^\/api\/images\/file\/(.+)$/.exec(pathname);
  if (imageFile && method === 'GET') {
    const path = deps.images.resolve(decodeURIComponent(imageFile[1]));
    if (!path) throw new HttpError(404, 'not-found', 'no such image');
    await sendFile(res, path, 86_400);
    return true;
  }
  const imageInfo = /^\/api\/images\/([^/]+\/[^/]+)$/.exec(pathname);
  if (imageInfo && method === 'GET') {
    const image: CatalogImage | null = await deps.images.describe(decodeURIComponent(imageInfo[1]));
    if (!image) throw new HttpError(404, 'not-found', 'no such image');
    sendJson(res, 200, image);
    return true;
  }
  const pixels = /^\/api\/(pixels|crops)\/([^/]+)\/(.+)$/.exec(pathname);
  if (pixels && method === 'GET') {
    const image = await modelInput(decodeURIComponent(pixels[2]), decodeURIComponent(pixels[3]), deps);
    if (pixels[1] === 'pixels') sendRawPixels(res, image);
    else await sendPng(res, image);
    return true;
  }
  const wasm = /^\/vendor\/tfjs-wasm\/([^/]+)$/.exec(pathname);
  if (wasm && method === 'GET') {
    if (!WASM_FILES.has(wasm[1])) throw new HttpError(404, 'not-found', 'no such file');
    await sendFile(res, join(wasmDir, wasm[1]), 86_400);
    return true;
  }
  return false;
}

/**
 * A JPEG or PNG body, at most 8 MiB, that sharp can decode; stored by content hash. `?name=` carries the
 * file name it was picked under, kept (sanitised) as the image's original name.
 */
async function acceptImageUpload(req: IncomingMessage, images: ImageCatalog): Promise<CatalogImage> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type !== 'image/jpeg' && type !== 'image/png') {
    throw new HttpError(
      415,
      'unsupported-media-type',
      'upload a JPEG or PNG image (Content-Type image/jpeg or image/png)',
    );
  }
  const tooLarge = () => new HttpError(413, 'too-large', 'images are limited to 8 MiB');
  if (Number(req.headers['content-length'] ?? 0) > MAX_IMAGE_UPLOAD_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMAGE_UPLOAD_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const sentName = new URL(req.url ?? '/', 'http://localhost').searchParams.get('name');
  const stored = await storeImageUpload(Buffer.concat(chunks), images.uploadsDir, sentName).catch((error) => {
    if (error instanceof ImageUploadError) throw new HttpError(400, 'bad-image', error.message);
    throw error;
  });
  return images.addUpload(stored.file, stored.originalName);
}

function servedModel(modelId: string, deps: CatalogDeps): Promise<ServedModel> {
  return deps.models.get(modelId).catch((error: Error) => {
    if (error instanceof ModelUnavailableError) throw new HttpError(404, 'not-found', error.message);
    throw error;
  });
}

/** An image decoded by the server (sharp) at a model's input size. */
async function modelInput(modelId: string, imageId: string, deps: CatalogDeps): Promise<HwcPixels> {
  const path = deps.images.resolve(imageId);
  if (!path) throw new HttpError(404, 'not-found', 'no such image');
  const served = await servedModel(modelId, deps);
  return decodeForModel(path, served.manifest).catch((error: Error) => {
    throw new HttpError(422, 'bad-image', error.message);
  });
}

/** Raw HWC bytes: browsers computing by themselves use these, so their input is the server's to the byte. */
function sendRawPixels(res: ServerResponse, image: HwcPixels): void {
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': image.data.byteLength,
    'cache-control': 'public, max-age=86400',
    'x-image-height': String(image.height),
    'x-image-width': String(image.width),
    'x-image-channels': String(image.channels),
  });
  res.end(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength));
}

/** The model's view of an image as a PNG, for thumbnails whose boxes must line up with the input. */
async function sendPng(res: ServerResponse, image: HwcPixels): Promise<void> {
  const png = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 },
  })
    .png()
    .toBuffer();
  res.writeHead(200, {
    'content-type': 'image/png',
    'content-length': png.length,
    'cache-control': 'public, max-age=86400',
  });
  res.end(png);
}
