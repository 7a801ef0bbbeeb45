// Accepting an uploaded model (model.json + weight files as buffers, optionally a manifest): every check runs
// before tf.js sees a byte, and each failure names the file and what is wrong.
import { createHash } from 'node:crypto';
import { inferManifest } from '@/lib/models/infer';
import type { ModelArtifactsSource } from '@/lib/models/load';
import { isSafeRelativePath, parseManifest } from '@/lib/models/manifest';
import {
  checkWeightFiles,
  DEFAULT_UPLOAD_LIMITS,
  ModelFilesError,
  type ModelJson,
  parseModelJson,
  toModelArtifacts,
  type UploadLimits,
  weightPaths,
} from '@/lib/models/model-json';
import type { ModelManifest } from '@/lib/models/types';

export interface UploadedFile {
  /** The file name as sent; must equal a path listed in model.json's weightsManifest. */
  name: string;
  data: Uint8Array;
}

export interface ModelUpload {
  modelJson: Uint8Array | string;
  weights: UploadedFile[];
  /** Parsed manifest.json, if the user sent one; otherwise it is inferred from model.json. */
  manifest?: unknown;
}

export interface AcceptedUpload extends ModelArtifactsSource {
  modelJson: ModelJson;
  /** Weight files in the order model.json lists them. */
  weightFiles: UploadedFile[];
}

export function acceptUpload(
  upload: ModelUpload,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): AcceptedUpload {
  const text =
    typeof upload.modelJson === 'string' ? upload.modelJson : new TextDecoder().decode(upload.modelJson);
  const modelJson = parseModelJson(text, limits);
  const files = indexFiles(upload.weights, limits);
  checkWeightFiles(modelJson, new Map([...files].map(([name, data]) => [name, data.byteLength])), limits, {
    rejectExtraFiles: true,
  });
  const weightFiles = weightPaths(modelJson).map((name) => ({ name, data: files.get(name)! }));
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const manifest = uploadManifest(upload.manifest, modelJson, `upload-${digest}`);
  const artifacts = toModelArtifacts(
    modelJson,
    weightFiles.map((file) => file.data),
  );
  return {
    manifest,
    handler: { load: async () => artifacts },
    origin: { kind: 'upload', location: manifest.id },
    modelJson,
    weightFiles,
  };
}

function indexFiles(weights: UploadedFile[], limits: UploadLimits): Map<string, Uint8Array> {
  const problems: string[] = [];
  if (weights.length > limits.maxWeightFiles) {
    problems.push(`${weights.length} weight files, the limit is ${limits.maxWeightFiles}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const file of weights) {
    if (!isSafeRelativePath(file.name))
      problems.push(`file name "${file.name}" must be a plain relative path (no "..", "/" or URL)`);
    else if (files.has(file.name)) problems.push(`file "${file.name}" was sent twice`);
    else files.set(file.name, file.data);
  }
  if (problems.length > 0) throw new ModelFilesError(problems);
  return files;
}

function uploadManifest(json: unknown, modelJson: ModelJson, fallbackId: string): ModelManifest {
  const inferred = inferManifest(modelJson, { id: fallbackId, source: 'upload' });
  if (json === undefined) return inferred;
  // A partial manifest (say, a name and labels) is completed from what model.json implies.
  const withDefaults =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? { ...inferred, ...json } : json;
  return parseManifest(withDefaults, { where: 'uploaded manifest' });
}
