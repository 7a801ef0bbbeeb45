import { z } from 'zod';
import { actionSchema } from './actions';
import { exerciseServerEventSchemas } from './exercise';
import { displayNameSchema, idSchema, modelIdSchema, roleSchema, titleSchema } from './primitives';

/** Events only the server writes: they record facts, not requests. */
export const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.created'), title: titleSchema, modelId: modelIdSchema }),
  z.object({
    type: z.literal('participant.joined'),
    participantId: idSchema,
    name: displayNameSchema,
    role: roleSchema,
  }),
  z.object({ type: z.literal('participant.connection'), participantId: idSchema, online: z.boolean() }),
  ...exerciseServerEventSchemas,
]);

export const eventBodySchema = z.union([serverEventSchema, actionSchema]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type EventType = EventBody['type'];

/** One entry of a session's log: the recording that live sync and replays both fold. */
export const loggedEventSchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: idSchema.nullable(),
  body: eventBodySchema,
});
export type LoggedEvent = z.infer<typeof loggedEventSchema>;
