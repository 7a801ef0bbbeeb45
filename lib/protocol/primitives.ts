import { z } from 'zod';

/** Join codes avoid look-alikes (0/O, 1/I/L) so they can be read off a projector. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

export const joinCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), 'a join code is 6 letters or digits');

// Lone surrogates cannot be stored as UTF-8, and control characters have no business in a name.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Text people read: well-formed Unicode without control characters, trimmed. */
export function plainText(min: number, max: number, what: string) {
  return z
    .string()
    .trim()
    .min(min, `${what} is required`)
    .max(max, `at most ${max} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), 'contains a broken character (a lone surrogate)')
    .refine((s) => !CONTROL.test(s), 'contains control characters');
}

export const displayNameSchema = plainText(1, 40, 'a name');
export const titleSchema = plainText(1, 120, 'a title');
export const idSchema = z.string().min(1).max(64);
/** A model of this server's catalog (built-in, pack or upload id); never a path or a URL. */
export const modelIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][\w.-]*$/i, 'a model id has letters, digits and . _ -');
export const layerNameSchema = z.string().min(1).max(128);
export const imageIdSchema = z.string().min(1).max(256);

/** What an occluding patch shows. */
export const OCCLUSION_FILLS = ['grey', 'zero', 'mean', 'blur'] as const;
export type OcclusionFill = (typeof OCCLUSION_FILLS)[number];

/** How an occlusion map is computed: every cell exactly, or one of the approximations (lib/viz/occlusion.ts). */
export const OCCLUSION_MODES = ['exact', 'projective', 'adaptive'] as const;
export type OcclusionMode = (typeof OCCLUSION_MODES)[number];

/** presenter: the projector's screen, which follows like a student but takes no part. */
export const roleSchema = z.enum(['instructor', 'student', 'presenter']);
export type Role = z.infer<typeof roleSchema>;

export const computeBackendSchema = z.enum([
  'server',
  'tensorflow-gpu',
  'tensorflow',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
  'unknown',
]);
export type ComputeBackendName = z.infer<typeof computeBackendSchema>;

/** A channel, class or position index. */
export const unitIndexSchema = z.number().int().min(0).max(100_000);
const index = unitIndexSchema;
export const neuronSchema = z.object({ layer: layerNameSchema, channel: index, y: index, x: index });
export type Neuron = z.infer<typeof neuronSchema>;

/** What a feature visualisation excites: a channel's mean over positions, one neuron, or a class logit. */
export const featureVisObjectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('channel'), layer: layerNameSchema, channel: index }),
  z.object({ kind: z.literal('neuron'), ...neuronSchema.shape }),
  z.object({ kind: z.literal('class'), classIndex: index }),
]);
export type FeatureVisObjective = z.infer<typeof featureVisObjectiveSchema>;

/** An occlusion patch side or stride in input pixels (fitted to a model's input by occlusion-grid.ts). */
export const occlusionSideSchema = z.number().int().min(1).max(512);

/** A patch's top-left corner: it may hang over the top or left edge (probeRange in occlusion-grid.ts). */
export const patchCornerSchema = z.number().int().min(-256).max(4096);
export const patchPositionSchema = z.object({ y: patchCornerSchema, x: patchCornerSchema });

/** A class to watch; null: the model's top prediction on the clean image. */
export const classChoiceSchema = index.nullable();
