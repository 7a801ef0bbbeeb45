import { z } from 'zod';
import { actionSchema } from './actions';
import { exerciseServerEventSchemas } from './exercise';
import {
  computeBackendSchema,
  displayNameSchema,
  idSchema,
  modelIdSchema,
  roleSchema,
  titleSchema,
} from './primitives';

/** Events only the server writes: they record facts, not requests. */
export const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.created'), title: titleSchema, modelId: modelIdSchema }),
  z.object({
    type: z.literal('participant.joined'),
    participantId: idSchema,
    name: displayNameSchema,
    role: roleSchema,
  }),
  ...exerciseServerEventSchemas,
]);

/**
 * Events that logs of version 1 hold and no server writes any more: presence is ephemeral since log
 * version 2 (lib/protocol/presence.ts). Replays of old logs fold them as no-ops.
 */
export const legacyEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('participant.connection'), participantId: idSchema, online: z.boolean() }),
  z.object({ type: z.literal('presence.set'), backend: computeBackendSchema }),
]);

export const eventBodySchema = z.union([serverEventSchema, actionSchema, legacyEventSchema]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type EventType = EventBody['type'];

/** One entry of a session's log: the recording that live sync and replays both fold. */
// Years 1970 to 9999: what every database stores and every Date reads.
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const eventTimeSchema = z.iso.datetime({ offset: true }).refine((at) => {
  const t = Date.parse(at);
  return t >= 0 && t <= LATEST;
}, 'a time between 1970 and 9999');

export const loggedEventSchema = z.object({
  seq: z.number().int().min(1),
  at: eventTimeSchema,
  actor: idSchema.nullable(),
  body: eventBodySchema,
});
export type LoggedEvent = z.infer<typeof loggedEventSchema>;
