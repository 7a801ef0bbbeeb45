import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { ModelLimitError } from '../../lib/models/limits';
import { ManifestError } from '../../lib/models/manifest';
import { DEFAULT_UPLOAD_LIMITS, ModelFilesError } from '../../lib/models/model-json';
import { TopologyError } from '../../lib/models/topology';
import type { ModelManifest } from '../../lib/models/types';
import { modelPaths } from '../models/paths';
import { acceptUpload, type UploadedFile } from '../models/upload';
import { saveUpload } from '../models/upload-store';
import { HttpError } from './body';

/** model.json, weights and an optional manifest: the weight cap plus room for the JSON files. */
export const MAX_MODEL_UPLOAD_BYTES =
  DEFAULT_UPLOAD_LIMITS.maxWeightBytes + 2 * DEFAULT_UPLOAD_LIMITS.maxModelJsonBytes;

const FILE_FIELDS = ['model.json', 'manifest.json', 'weights'] as const;

/**
 * POST /api/models as multipart/form-data: a "model.json" file, the weight files
 * (field "weights", named as model.json lists them) and optionally "manifest.json".
 * Everything is checked before anything is stored or loaded; a refusal names the file or layer.
 */
export async function receiveModelUpload(req: IncomingMessage): Promise<ModelManifest> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw new HttpError(415, 'unsupported-media-type', 'send the model files as multipart/form-data');
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_MODEL_UPLOAD_BYTES) throw tooLarge();
  const form = await readForm(req, type);
  const fields = new Map<string, File[]>();
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string' || !(FILE_FIELDS as readonly string[]).includes(field)) {
      throw new HttpError(
        400,
        'invalid',
        `unexpected form field "${field.slice(0, 64)}": send files in "model.json", "manifest.json" and "weights"`,
      );
    }
    fields.set(field, [...(fields.get(field) ?? []), value as File]);
  }
  const single = (field: string) => {
    const files = fields.get(field) ?? [];
    if (files.length > 1)
      throw new HttpError(400, 'invalid', `the upload has ${files.length} ${field} files`);
    return files[0];
  };
  const modelJson = single('model.json');
  if (!modelJson) throw new HttpError(400, 'invalid', 'the upload has no model.json');
  const manifestFile = single('manifest.json');
  const weights: UploadedFile[] = await Promise.all(
    (fields.get('weights') ?? []).map(async (file) => ({
      name: file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  try {
    const manifest = manifestFile ? parseManifestFile(await manifestFile.text()) : undefined;
    const accepted = acceptUpload({ modelJson: await modelJson.text(), weights, manifest });
    return await saveUpload(accepted, modelPaths().uploadsDir);
  } catch (error) {
    if (error instanceof ModelLimitError) throw new HttpError(400, 'model-too-large', error.message);
    if (
      error instanceof ModelFilesError ||
      error instanceof ManifestError ||
      error instanceof TopologyError
    ) {
      throw new HttpError(400, 'invalid-model', error.message);
    }
    throw error;
  }
}

function parseManifestFile(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError('manifest.json', [`not JSON: ${(error as Error).message}`]);
  }
}

async function readForm(req: IncomingMessage, type: string): Promise<FormData> {
  let size = 0;
  const counted = Readable.from(req).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > MAX_MODEL_UPLOAD_BYTES ? tooLarge() : null, chunk);
      },
    }),
  );
  try {
    const request = new Request('http://localhost/upload', {
      method: 'POST',
      headers: { 'content-type': type },
      body: Readable.toWeb(counted) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    return await request.formData();
  } catch (error) {
    if (size > MAX_MODEL_UPLOAD_BYTES) throw tooLarge();
    throw new HttpError(400, 'bad-form', `the upload is not readable form data: ${(error as Error).message}`);
  }
}

function tooLarge(): HttpError {
  return new HttpError(
    413,
    'too-large',
    `a model upload is limited to ${Math.round(MAX_MODEL_UPLOAD_BYTES / 2 ** 20)} MiB`,
  );
}
