// Accepting an uploaded model (model.json + weight files as buffers, optionally a manifest): every check runs
// before tf.js sees a byte, and each failure names the file (or the layer) and what is wrong. The model's id
// is the hash of everything that defines it, so an upload can neither shadow nor replace another model.
import { createHash } from 'node:crypto';
import { inferManifest } from '@/lib/models/infer';
import { checkManifestFits, inspectModelJson } from '@/lib/models/inspect';
import { MODEL_LIMITS, type ModelLimits } from '@/lib/models/limits';
import type { ModelArtifactsSource } from '@/lib/models/load';
import { ManifestError, parseManifest } from '@/lib/models/manifest';
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
import { canonicalJson, type JsonValue } from '@/lib/protocol/hash';

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
  /** model.json exactly as it is stored and hashed. */
  modelJsonText: string;
  modelJson: ModelJson;
  /** Weight files in the order model.json lists them. */
  weightFiles: UploadedFile[];
}

export interface UploadOptions {
  limits?: UploadLimits;
  modelLimits?: ModelLimits;
}

/** Names the stored folder holds besides the weights. */
export const RESERVED_FILE_NAMES = ['model.json', 'manifest.json'] as const;
/** A weight file is a plain file name: no folder, no hidden file, nothing a file system treats specially. */
const WEIGHT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function acceptUpload(upload: ModelUpload, options: UploadOptions = {}): AcceptedUpload {
  const limits = options.limits ?? DEFAULT_UPLOAD_LIMITS;
  const text =
    typeof upload.modelJson === 'string' ? upload.modelJson : new TextDecoder().decode(upload.modelJson);
  const modelJson = parseModelJson(text, limits);
  checkFileNames([...weightPaths(modelJson), ...upload.weights.map((file) => file.name)]);
  const files = indexFiles(upload.weights, limits);
  checkWeightFiles(modelJson, new Map([...files].map(([name, data]) => [name, data.byteLength])), limits, {
    rejectExtraFiles: true,
  });
  const inspected = inspectModelJson(modelJson, options.modelLimits ?? MODEL_LIMITS);
  const weightFiles = weightPaths(modelJson).map((name) => ({ name, data: files.get(name)! }));
  const described = uploadManifest(upload.manifest, modelJson, inspected.classes);
  checkManifestFits(described, inspected, 'uploaded manifest');
  const modelJsonText = JSON.stringify(modelJson);
  const manifest = { ...described, id: uploadId(modelJsonText, weightFiles, described) };
  const artifacts = toModelArtifacts(
    modelJson,
    weightFiles.map((file) => file.data),
  );
  return {
    manifest,
    handler: { load: async () => artifacts },
    origin: { kind: 'upload', location: manifest.id },
    modelJsonText,
    modelJson,
    weightFiles,
  };
}

/**
 * upload-<first 128 bits of SHA-256> over model.json, every weight file (name and bytes, in model.json's
 * order) and the manifest (canonical JSON, without its id), each part length-prefixed.
 */
export function uploadId(
  modelJsonText: string,
  weightFiles: readonly UploadedFile[],
  manifest: ModelManifest,
) {
  const hash = createHash('sha256').update('convlens-upload-v1\0');
  const part = (name: string, data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    hash.update(`${name}\0${bytes.byteLength}\0`);
    hash.update(bytes);
  };
  part('model.json', modelJsonText);
  for (const file of weightFiles) part(`weights/${file.name}`, file.data);
  const { id: _id, ...described } = manifest;
  part('manifest.json', canonicalJson(described as unknown as JsonValue));
  return `upload-${hash.digest('hex').slice(0, 32)}`;
}

function checkFileNames(names: readonly string[]): void {
  const problems = new Set<string>();
  for (const name of names) {
    if (RESERVED_FILE_NAMES.some((reserved) => reserved === name.toLowerCase())) {
      problems.add(`weight file "${name}" has a name reserved for the model's own files; rename it`);
    } else if (!WEIGHT_FILE_NAME.test(name)) {
      problems.add(
        `weight file "${name}" must be a plain file name (letters, digits, ".", "_", "-"; no folder)`,
      );
    }
  }
  if (problems.size > 0) throw new ModelFilesError([...problems]);
}

function indexFiles(weights: UploadedFile[], limits: UploadLimits): Map<string, Uint8Array> {
  const problems: string[] = [];
  if (weights.length > limits.maxWeightFiles) {
    problems.push(`${weights.length} weight files, the limit is ${limits.maxWeightFiles}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const file of weights) {
    if (files.has(file.name)) problems.push(`file "${file.name}" was sent twice`);
    else files.set(file.name, file.data);
  }
  if (problems.length > 0) throw new ModelFilesError(problems);
  return files;
}

/** The manifest as sent, completed from what model.json implies; the id is set from the content afterwards. */
function uploadManifest(sent: unknown, modelJson: ModelJson, classes: number): ModelManifest {
  const where = 'uploaded manifest';
  if (sent !== undefined && (typeof sent !== 'object' || sent === null || Array.isArray(sent))) {
    throw new ManifestError(where, ['(root): expected a JSON object']);
  }
  const inferred = inferManifest(modelJson, { id: 'upload', source: 'upload', classes });
  return parseManifest({ ...inferred, ...(sent ?? {}), id: 'upload', modelUrl: 'model.json' }, { where });
}
