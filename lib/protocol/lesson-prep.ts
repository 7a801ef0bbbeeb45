import { z } from 'zod';
import { occlusionParamsSchema, viewSchema } from './actions';
import { imageIdSchema, layerNameSchema, modelIdSchema, unitIndexSchema } from './primitives';

/** One planned moment of a lesson: what the shared view will show then. */
export const lessonStepSchema = z.object({
  modelId: modelIdSchema,
  imageId: imageIdSchema.nullable().default(null),
  view: viewSchema,
  layer: layerNameSchema.nullable().default(null),
  channels: z.array(unitIndexSchema).max(64).default([]),
  occlusion: occlusionParamsSchema.optional(),
});
export type LessonStep = z.infer<typeof lessonStepSchema>;

/** Compute ahead what the shared view will need: every view of this session so far, or a plan. */
export const prepareLessonSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('history') }),
  z.object({ source: z.literal('plan'), steps: z.array(lessonStepSchema).min(1).max(200) }),
]);
export type PrepareLesson = z.infer<typeof prepareLessonSchema>;

/** How far a lesson's preparation is, sent to the instructor who asked. */
export interface LessonPrepProgress {
  state: 'running' | 'done' | 'cancelled';
  /** Distinct results the lesson needs. */
  total: number;
  /** Settled so far: computed, already stored, or failed. */
  done: number;
  /** Of those, already stored (nothing computed). */
  stored: number;
  /** The first failures, with their reasons. */
  failed: { kind: string; reason: string }[];
}
