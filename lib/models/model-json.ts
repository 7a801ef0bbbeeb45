// The tf.js LayersModel JSON (model.json): schema, weight byte lengths, and the checks an upload or a
// download must pass before tf.js sees it. Pure: callers pass file sizes, not files.
import type { io } from '@tensorflow/tfjs';
import { z } from 'zod';
import { isSafeRelativePath } from './manifest';

export const WEIGHT_DTYPES = ['float32', 'int32', 'bool'] as const;
export const QUANTIZED_DTYPES = ['uint8', 'uint16', 'float16'] as const;

const BYTES_PER_ELEMENT: Record<(typeof WEIGHT_DTYPES)[number] | (typeof QUANTIZED_DTYPES)[number], number> =
  {
    float32: 4,
    int32: 4,
    bool: 1,
    uint8: 1,
    uint16: 2,
    float16: 2,
  };

const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(WEIGHT_DTYPES),
  quantization: z
    .object({
      dtype: z.enum(QUANTIZED_DTYPES),
      scale: z.number().optional(),
      min: z.number().optional(),
      original_dtype: z.enum(WEIGHT_DTYPES).optional(),
    })
    .optional(),
});

const weightGroupSchema = z.object({
  paths: z.array(z.string()).min(1),
  weights: z.array(weightSpecSchema),
});

const topologySchema = z
  .looseObject({})
  .refine((topology) => 'class_name' in topology || 'model_config' in topology, {
    message: 'expected a Keras model topology with "class_name" or "model_config"',
  });

export const modelJsonSchema = z.looseObject({
  format: z
    .literal('layers-model', { error: 'only "layers-model" is supported (graph models cannot be inspected)' })
    .optional(),
  modelTopology: topologySchema,
  weightsManifest: z.array(weightGroupSchema).min(1),
});

export type ModelJson = z.infer<typeof modelJsonSchema>;
export type WeightSpec = z.infer<typeof weightSpecSchema>;

export interface UploadLimits {
  /** model.json size in bytes. */
  maxModelJsonBytes: number;
  /** Sum of all weight files in bytes. */
  maxWeightBytes: number;
  maxWeightFiles: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxModelJsonBytes: 4 * 1024 * 1024,
  maxWeightBytes: 64 * 1024 * 1024,
  maxWeightFiles: 200,
};

export class ModelFilesError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid model files: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
    );
    this.name = 'ModelFilesError';
  }
}

/** Bytes one weight occupies in the weight files (quantized weights are stored in their quantized dtype). */
export function weightByteLength(spec: WeightSpec): number {
  const elements = spec.shape.reduce((product, dim) => product * dim, 1);
  return elements * BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
}

/** Parses model.json text, naming the first problems found. */
export function parseModelJson(text: string, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): ModelJson {
  if (text.length > limits.maxModelJsonBytes) {
    throw new ModelFilesError([
      `model.json is ${text.length} bytes, the limit is ${limits.maxModelJsonBytes}`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFilesError([`model.json is not JSON: ${(error as Error).message}`]);
  }
  return validateModelJson(json);
}

export function validateModelJson(json: unknown): ModelJson {
  const result = modelJsonSchema.safeParse(json);
  if (!result.success) {
    throw new ModelFilesError(
      result.error.issues.map((issue) => `model.json ${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const group of result.data.weightsManifest) {
    for (const path of group.paths) {
      if (!isSafeRelativePath(path))
        problems.push(`weight path "${path}" must be a plain relative path (no "..", "/" prefix or URL)`);
    }
    for (const weight of group.weights) {
      if (seen.has(weight.name)) problems.push(`weight "${weight.name}" is listed twice`);
      seen.add(weight.name);
    }
  }
  if (problems.length > 0) throw new ModelFilesError(problems);
  return result.data;
}

/**
 * Checks that the weight files hold exactly the bytes model.json declares: per group, the sum of
 * shape × dtype over its weights equals the sum of its files' sizes. `fileSizes` maps weight path → bytes.
 * With `rejectExtraFiles`, files not named by model.json are an error (uploads).
 */
export function checkWeightFiles(
  modelJson: ModelJson,
  fileSizes: ReadonlyMap<string, number>,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  options: { rejectExtraFiles?: boolean } = {},
): void {
  const problems: string[] = [];
  const referenced = new Set<string>();
  let total = 0;
  modelJson.weightsManifest.forEach((group, index) => {
    const expected = group.weights.reduce((sum, weight) => sum + weightByteLength(weight), 0);
    let actual = 0;
    for (const path of group.paths) {
      referenced.add(path);
      const size = fileSizes.get(path);
      if (size === undefined) problems.push(`weight file "${path}" is missing`);
      else actual += size;
    }
    total += actual;
    if (group.paths.every((path) => fileSizes.has(path)) && actual !== expected) {
      problems.push(
        `weight group ${index + 1} (${group.paths.join(', ')}): its ${group.weights.length} weights need ${expected} bytes ` +
          `(${describeWeights(group.weights)}), the files hold ${actual}`,
      );
    }
  });
  if (referenced.size > limits.maxWeightFiles) {
    problems.push(`${referenced.size} weight files, the limit is ${limits.maxWeightFiles}`);
  }
  if (total > limits.maxWeightBytes)
    problems.push(`weights total ${total} bytes, the limit is ${limits.maxWeightBytes}`);
  if (options.rejectExtraFiles) {
    for (const path of fileSizes.keys()) {
      if (!referenced.has(path)) problems.push(`file "${path}" is not listed in model.json weightsManifest`);
    }
  }
  if (problems.length > 0) throw new ModelFilesError(problems);
}

function describeWeights(weights: WeightSpec[]): string {
  const shown = weights
    .slice(0, 3)
    .map((w) => `${w.name} [${w.shape.join('×')}] ${w.quantization?.dtype ?? w.dtype}`)
    .join(', ');
  return weights.length > 3 ? `${shown}, …` : shown;
}

/** The weight paths in the order tf.js concatenates them. */
export function weightPaths(modelJson: ModelJson): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths);
}

export function weightSpecs(modelJson: ModelJson): WeightSpec[] {
  return modelJson.weightsManifest.flatMap((group) => group.weights);
}

/** [height, width, channels] of the model's image input, read from the topology without building the model. */
export function topologyInputShape(modelJson: ModelJson): number[] | undefined {
  const topology = modelJson.modelTopology as Record<string, unknown>;
  const root = (topology.model_config ?? topology) as { config?: unknown };
  const config = root.config as { layers?: unknown[] } | unknown[] | undefined;
  const layers = (Array.isArray(config) ? config : config?.layers) as
    | { config?: { batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[] } }[]
    | undefined;
  for (const layer of layers ?? []) {
    const shape = layer.config?.batch_input_shape ?? layer.config?.batchInputShape;
    if (shape) return shape.slice(1).map((dim) => dim ?? -1);
  }
  return undefined;
}

/** The tf.js ModelArtifacts for a validated model.json and its weight files in weightPaths order. */
export function toModelArtifacts(
  modelJson: ModelJson,
  weightFiles: readonly Uint8Array[],
): io.ModelArtifacts {
  const total = weightFiles.reduce((sum, file) => sum + file.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const file of weightFiles) {
    weightData.set(file, offset);
    offset += file.byteLength;
  }
  const { weightsManifest: _manifest, modelTopology, ...rest } = modelJson;
  return {
    ...(rest as Omit<io.ModelArtifacts, 'modelTopology' | 'weightSpecs' | 'weightData'>),
    modelTopology,
    weightSpecs: weightSpecs(modelJson) as io.WeightsManifestEntry[],
    weightData: weightData.buffer,
  };
}
