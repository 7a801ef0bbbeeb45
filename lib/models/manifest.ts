// Model manifests: parsed and validated with zod, defaults filled, errors that name the field and the allowed values.
import { z } from 'zod';
import type { ModelManifest, Preprocessing } from './types';

export const RESIZE_MODES = [
  'shorter-side-then-center-crop',
  'center-crop-square-then-resize',
  'stretch',
] as const;
export const OUTPUT_KINDS = ['softmax', 'logits'] as const;

/** Ids end up in URLs, cache directories and the database: keep them plain. */
const modelId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/i,
    'expected 1-64 letters, digits, ".", "_" or "-", starting alphanumeric',
  );

const side = z.number().int().positive().max(4096);
const channels = z.literal([1, 3]);

const preprocessingSchema = z
  .object({
    resize: z.enum(RESIZE_MODES).default('stretch'),
    resizeTo: side.optional(),
    mean: z.tuple([z.number(), z.number(), z.number()]).default([0, 0, 0]),
    scale: z
      .number()
      .positive()
      .default(1 / 255),
    offset: z.number().default(0),
    channels: channels.optional(),
  })
  .refine((p) => p.resize !== 'shorter-side-then-center-crop' || p.resizeTo !== undefined, {
    message: "resizeTo is required when resize is 'shorter-side-then-center-crop'",
    path: ['resizeTo'],
  });

/** A model URL relative to the manifest (no "..", no absolute path) or an absolute https URL. */
const modelUrl = z
  .string()
  .min(1)
  .refine((url) => /^https:\/\//i.test(url) || isSafeRelativePath(url), {
    message: 'expected a relative path without ".." (e.g. "model.json") or an https URL',
  });

export const manifestSchema = z.object({
  id: modelId,
  name: z.string().min(1).optional(),
  source: z.string().default('unknown'),
  inputSize: z.object({ height: side, width: side, channels }),
  preprocessing: preprocessingSchema.default({
    resize: 'stretch',
    mean: [0, 0, 0],
    scale: 1 / 255,
    offset: 0,
  }),
  labels: z.array(z.string()).min(1).optional(),
  output: z.enum(OUTPUT_KINDS).default('softmax'),
  modelUrl: modelUrl.default('model.json'),
  accuracy: z.object({ value: z.number().min(0).max(1), dataset: z.string() }).optional(),
  description: z.string().optional(),
});

export type ManifestInput = z.input<typeof manifestSchema>;

export class ManifestError extends Error {
  constructor(
    readonly where: string,
    readonly problems: string[],
  ) {
    super(`invalid model manifest${where ? ` (${where})` : ''}: ${problems.join('; ')}`);
    this.name = 'ManifestError';
  }
}

export interface ParseManifestOptions {
  /** Named in error messages: a path or URL. */
  where?: string;
}

/** Validates a manifest (parsed JSON) and fills defaults; throws ManifestError naming every problem. */
export function parseManifest(json: unknown, options: ParseManifestOptions = {}): ModelManifest {
  const where = options.where ?? '';
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    throw new ManifestError(
      where,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const parsed = result.data;
  // Without labels the list stays empty and loadModel names the classes "class 0", … from the output size.
  const labels = parsed.labels ?? [];
  const preprocessing: Preprocessing = {
    ...parsed.preprocessing,
    channels: parsed.preprocessing.channels ?? parsed.inputSize.channels,
  };
  if (preprocessing.channels !== parsed.inputSize.channels) {
    throw new ManifestError(where, [
      `preprocessing.channels (${preprocessing.channels}) differs from inputSize.channels (${parsed.inputSize.channels})`,
    ]);
  }
  return {
    id: parsed.id,
    name: parsed.name ?? parsed.id,
    source: parsed.source,
    inputSize: parsed.inputSize,
    preprocessing,
    labels,
    output: parsed.output,
    modelUrl: parsed.modelUrl,
    ...(parsed.accuracy ? { accuracy: parsed.accuracy } : {}),
    ...(parsed.description ? { description: parsed.description } : {}),
  };
}

/** A relative path that stays inside its directory: no "..", no absolute path, no scheme, no backslash. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 255) return false;
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
