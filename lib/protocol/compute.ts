import { z } from 'zod';
import type { EncodedResult } from './codec';
import { canonicalJson, fnv1a64, type JsonValue } from './hash';
import {
  classChoiceSchema,
  featureVisObjectiveSchema,
  imageIdSchema,
  layerNameSchema,
  modelIdSchema,
  OCCLUSION_FILLS,
  OCCLUSION_MODES,
  occlusionSideSchema,
  patchCornerSchema,
  unitIndexSchema,
} from './primitives';
import type { ComputeResults } from './results';

const cell = patchCornerSchema;
const patch = occlusionSideSchema;
const classIndex = classChoiceSchema;

export const imageSetIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);

/** An occlusion map: also what an occlusion exercise asks students to predict. */
export const occlusionRequestSchema = z.object({
  kind: z.literal('occlusion'),
  modelId: modelIdSchema,
  imageId: imageIdSchema,
  patch,
  stride: patch,
  fill: z.enum(OCCLUSION_FILLS),
  /** null: the model's top prediction on the clean image. */
  classIndex,
  /** Absent: exact. The approximate modes are labelled as such in the result. */
  mode: z.enum(OCCLUSION_MODES).optional(),
});

/** The class probability with one patch at (y, x): also a probe exercise's task. */
export const probeRequestSchema = z.object({
  kind: z.literal('probe'),
  modelId: modelIdSchema,
  imageId: imageIdSchema,
  patch,
  fill: z.enum(OCCLUSION_FILLS),
  classIndex,
  /** The patch's top-left corner, in model-input pixels (see probeRange in occlusion-grid.ts). */
  y: cell,
  x: cell,
});

/** How a feature visualisation is optimised (docs/viz.md); the caps bound one request's work (docs/limits.md). */
export const featureVisParamsSchema = z.object({
  objective: featureVisObjectiveSchema,
  steps: z.number().int().min(1).max(512),
  learningRate: z.number().min(0.001).max(0.5),
  /** Longer side of the optimised image, up to the model's input side; null: the input side. */
  size: z.number().int().min(8).max(512).nullable(),
  seed: z.number().int().min(0).max(0x7fffffff),
  /** Images optimised together, pushed apart by `diversity`. */
  images: z.number().int().min(1).max(4),
  diversity: z.number().min(0).max(10),
});
export type FeatureVisParams = z.infer<typeof featureVisParamsSchema>;

export const FEATURE_VIS_DEFAULTS: Omit<FeatureVisParams, 'objective'> = {
  steps: 256,
  learningRate: 0.05,
  size: null,
  seed: 0,
  images: 1,
  diversity: 0,
};

export const featureVisRequestSchema = featureVisParamsSchema.extend({
  kind: z.literal('feature-vis'),
  modelId: modelIdSchema,
});

/**
 * A derived result, named by what it is a function of. The same request gives
 * the same numbers on the server and in any browser, so it is cached by its key.
 */
export const computeRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model-info'), modelId: modelIdSchema }),
  z.object({ kind: z.literal('predict'), modelId: modelIdSchema, imageId: imageIdSchema }),
  occlusionRequestSchema,
  probeRequestSchema,
  z.object({ kind: z.literal('filters'), modelId: modelIdSchema, layer: layerNameSchema }),
  z.object({
    kind: z.literal('activations'),
    modelId: modelIdSchema,
    imageId: imageIdSchema,
    layer: layerNameSchema,
  }),
  z.object({
    kind: z.literal('top-activating'),
    modelId: modelIdSchema,
    imageSetId: imageSetIdSchema,
    layer: layerNameSchema,
    channels: z.array(unitIndexSchema).min(1).max(64),
    k: z.number().int().min(1).max(32),
  }),
  featureVisRequestSchema,
]);
export type ComputeRequest = z.infer<typeof computeRequestSchema>;
export type ComputeKind = ComputeRequest['kind'];

/** Bump when the meaning of a result changes, so stale cached results are not reused. */
export const RESULT_FORMAT = 1;

/** The request in one form per result: channels sorted and unique, an explicit exact mode left out. */
function normalizeRequest(request: ComputeRequest): ComputeRequest {
  if (request.kind === 'top-activating') {
    return { ...request, channels: [...new Set(request.channels)].sort((a, b) => a - b) };
  }
  if (request.kind === 'occlusion' && request.mode === 'exact') {
    const { mode: _exact, ...rest } = request;
    return rest;
  }
  return request;
}

export function resultKey(request: ComputeRequest): string {
  const normalized = normalizeRequest(request);
  return `${request.kind}-${fnv1a64(canonicalJson({ format: RESULT_FORMAT, ...normalized } as JsonValue))}`;
}

/**
 * The key under which the server reports the progress of the activation atlas of a model and image set
 * (compute:progress): once it is built, any layer and channel of "neurons that fire" is answered at once.
 */
export function atlasProgressKey(modelId: string, imageSetId: string): string {
  return `atlas-${fnv1a64(canonicalJson({ modelId, imageSetId }))}`;
}

/** Where a result was computed, shown beside it. */
export interface ResultOrigin {
  where: 'server' | 'browser';
  backend: string;
  ms: number;
  cached: boolean;
}

/** Why the server refused or stopped a job: each is named in docs/limits.md. */
export const COMPUTE_ERROR_CODES = [
  /** More forward passes than one request may take (e.g. occlusion with patch 1, stride 1). */
  'too-costly',
  /** This participant, address or session already waits for as many jobs as it may. */
  'queue-full',
  /** Ran past its time budget and was stopped. */
  'compute-timeout',
  /** The worker computing it failed (a WebAssembly trap, out of memory) and was replaced. */
  'compute-failed',
  /** Nobody waited for it any more. */
  'cancelled',
] as const;
export type ComputeErrorCode = (typeof COMPUTE_ERROR_CODES)[number];
/** How a job can end without a result. */
export type ComputeFailureCode = ComputeErrorCode | 'bad-request';

/** Who a job is for: the shared view first, then students' free exploration, then lesson preparation. */
export const COMPUTE_PRIORITIES = ['shared', 'explore', 'prepare'] as const;
export type ComputePriority = (typeof COMPUTE_PRIORITIES)[number];

/** The one definition of a job's progress, as every viewer sees it from the moment it is asked for. */
export type ComputeJobState =
  | { state: 'queued'; ahead: number }
  | { state: 'running'; done: number; total?: number; etaMs?: number }
  | { state: 'cancelled' }
  | { state: 'failed'; code: ComputeFailureCode; reason: string };

export type ComputeProgress = { key: string } & ComputeJobState;

/** The client no longer needs this result (its view moved on). */
export const computeCancelSchema = z.object({ key: z.string().min(1).max(64) });

/** Any kind's result as it travels. */
export type EncodedComputeResult = EncodedResult<ComputeResults[ComputeKind]>;

/** What the server answers to a compute request: the result, typed by the request's kind. */
export type ComputeAccepted<K extends ComputeKind = ComputeKind> =
  | { status: 'done'; key: string; result: EncodedResult<ComputeResults[K]>; origin: ResultOrigin }
  | { status: 'unavailable'; key: string; reason: string };

/** An early, coarser result of a long job (occlusion: the coarse grid first). */
export interface ComputePartial<K extends ComputeKind = ComputeKind> {
  key: string;
  result: EncodedResult<ComputeResults[K]>;
}
