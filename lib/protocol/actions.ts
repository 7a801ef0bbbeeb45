import { z } from 'zod';
import { featureVisParamsSchema } from './compute';
import { exerciseActionSchemas } from './exercise';
import {
  classChoiceSchema,
  imageIdSchema,
  layerNameSchema,
  modelIdSchema,
  neuronSchema,
  OCCLUSION_FILLS,
  occlusionSideSchema,
  patchPositionSchema,
  type Role,
  unitIndexSchema,
} from './primitives';

export { OCCLUSION_FILLS };

export const VIEWS = [
  'receptive-field',
  'activations',
  'top-activating',
  'filters',
  'occlusion',
  'feature-vis',
] as const;
export const viewSchema = z.enum(VIEWS);
export type View = z.infer<typeof viewSchema>;

export const occlusionParamsSchema = z.object({
  patch: occlusionSideSchema,
  stride: occlusionSideSchema,
  fill: z.enum(OCCLUSION_FILLS),
  classIndex: classChoiceSchema,
});
export type OcclusionParams = z.infer<typeof occlusionParamsSchema>;

/** The patch's top-left corner (checked against the model's input by the server). */
const probeSchema = patchPositionSchema;

export const filterDisplaySchema = z.object({
  normalization: z.enum(['per-filter', 'shared']),
  ordered: z.boolean(),
  selected: unitIndexSchema.nullable(),
});
export type FilterDisplay = z.infer<typeof filterDisplaySchema>;

/** What every screen shows besides the view: the join code with its QR code (projector), the explanations. */
export const displaySchema = z.object({ joinCode: z.boolean(), explain: z.boolean() });
export type Display = z.infer<typeof displaySchema>;

/** What a client asks the session to do. The server adds seq, time and actor. */
export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('view.set'), view: viewSchema }),
  z.object({ type: z.literal('model.set'), modelId: modelIdSchema }),
  z.object({ type: z.literal('image.set'), imageId: imageIdSchema }),
  z.object({ type: z.literal('layer.set'), layer: layerNameSchema }),
  z.object({ type: z.literal('neuron.set'), neuron: neuronSchema.nullable() }),
  z.object({ type: z.literal('neuron.pin'), neuron: neuronSchema }),
  z.object({ type: z.literal('neuron.unpin'), neuron: neuronSchema }),
  z.object({
    type: z.literal('channels.set'),
    channels: z.array(unitIndexSchema).max(64),
  }),
  z.object({ type: z.literal('occlusion.set'), params: occlusionParamsSchema }),
  z.object({ type: z.literal('filters.set'), display: filterDisplaySchema }),
  /** The feature visualisation the class watches form (null: none started). */
  z.object({ type: z.literal('featureVis.set'), params: featureVisParamsSchema.nullable() }),
  z.object({ type: z.literal('probe.set'), probe: probeSchema.nullable() }),
  z.object({ type: z.literal('mode.set'), mode: z.enum(['follow', 'free']) }),
  z.object({ type: z.literal('display.set'), display: displaySchema }),
  /** Where derived results are computed: the server, or each browser by itself. */
  z.object({ type: z.literal('compute.set'), where: z.enum(['server', 'browser']) }),
  ...exerciseActionSchemas,
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];

/** Actions a student may send; everything else changes the shared view and needs the instructor key. */
const STUDENT_ACTIONS: ReadonlySet<ActionType> = new Set(['exercise.answer']);

/** The instructor may do anything, a student only answer, the projector nothing (it only shows). */
export function mayPerform(role: Role, type: ActionType): boolean {
  return role === 'instructor' || (role === 'student' && STUDENT_ACTIONS.has(type));
}
