// A tf.io handler on the file system (tfjs-node's file:// handler is not available without tfjs-node):
// load() reads model.json and its weight files after checking them; save() writes model.json + one .bin.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import {
  checkWeightFiles,
  DEFAULT_UPLOAD_LIMITS,
  parseModelJson,
  toModelArtifacts,
  type UploadLimits,
  weightPaths,
} from '@/lib/models/model-json';

export interface FileSystemHandlerOptions {
  /** Size caps checked before reading weights; local and built-in models are generous by default. */
  limits?: UploadLimits;
  /** For save(): the weight file's name. */
  weightsFileName?: string;
}

const LOCAL_LIMITS: UploadLimits = {
  ...DEFAULT_UPLOAD_LIMITS,
  maxWeightBytes: 512 * 1024 * 1024,
  maxWeightFiles: 2000,
};

/** `modelJsonPath` is the model.json file; weight paths in it are relative to its directory. */
export function fileSystemHandler(
  modelJsonPath: string,
  options: FileSystemHandlerOptions = {},
): io.IOHandler {
  const directory = dirname(modelJsonPath);
  const limits = options.limits ?? LOCAL_LIMITS;
  return {
    load: () => loadFromDirectory(modelJsonPath, directory, limits),
    save: (artifacts) =>
      saveToDirectory(modelJsonPath, directory, artifacts, options.weightsFileName ?? 'weights.bin'),
  };
}

async function loadFromDirectory(
  modelJsonPath: string,
  directory: string,
  limits: UploadLimits,
): Promise<io.ModelArtifacts> {
  const text = await readText(modelJsonPath);
  const modelJson = parseModelJson(text, limits);
  const paths = weightPaths(modelJson);
  const sizes = new Map<string, number>();
  for (const path of paths) {
    const size = await fileSize(join(directory, path));
    if (size !== undefined) sizes.set(path, size);
  }
  checkWeightFiles(modelJson, sizes, limits);
  const files = await Promise.all(paths.map((path) => readFile(join(directory, path))));
  return toModelArtifacts(modelJson, files);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

async function saveToDirectory(
  modelJsonPath: string,
  directory: string,
  artifacts: io.ModelArtifacts,
  weightsFileName: string,
): Promise<io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('saving a binary (graph) model topology is not supported');
  }
  const weightData = artifacts.weightData
    ? new Uint8Array(
        Array.isArray(artifacts.weightData)
          ? joinBuffers(artifacts.weightData)
          : (artifacts.weightData as ArrayBuffer),
      )
    : new Uint8Array(0);
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [basename(weightsFileName)], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  await writeFile(join(directory, basename(weightsFileName)), weightData);
  await writeFile(modelJsonPath, `${JSON.stringify(modelJson)}\n`);
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: weightData.byteLength,
    },
  };
}

function joinBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  const joined = new Uint8Array(buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0));
  let offset = 0;
  for (const buffer of buffers) {
    joined.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return joined.buffer;
}
