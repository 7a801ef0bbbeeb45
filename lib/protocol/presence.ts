// Ephemeral state: what changes many times a second or only matters now (who is here, on which backend,
// following or exploring; the patch the instructor is dragging). It travels as messages, never enters the
// log; the server keeps the latest value in memory and hands it to late joiners.
import { z } from 'zod';
import { viewSchema } from './actions';
import { type ComputeBackendName, computeBackendSchema, patchPositionSchema } from './primitives';

export const followingSchema = z.enum(['following', 'exploring']);
export type Following = z.infer<typeof followingSchema>;

/** What a participant says about themselves; any field may be left out to keep its last value. */
export const presenceUpdateSchema = z
  .object({
    backend: computeBackendSchema,
    following: followingSchema,
    /** The view on their screen (an exploring student's own). */
    view: viewSchema,
    /** Their window's width in CSS pixels: how large an exercise's cells would be for them. */
    screenWidth: z.number().int().min(100).max(20_000),
  })
  .partial();
export type PresenceUpdate = z.infer<typeof presenceUpdateSchema>;

export interface Presence {
  online: boolean;
  backend: ComputeBackendName;
  following: Following;
  view: z.infer<typeof viewSchema> | null;
  screenWidth: number | null;
}

/** The patch while the instructor drags it: top-left corner in model-input pixels, null when let go. */
export const probeDragSchema = z.object({ probe: patchPositionSchema.nullable() });
export type ProbeDrag = z.infer<typeof probeDragSchema>;

export interface EphemeralState {
  /** By participant id; participants who never said anything are absent (read them as offline). */
  presence: Record<string, Presence>;
  probe: ProbeDrag['probe'];
}

export type EphemeralUpdate =
  | { type: 'presence'; participantId: string; presence: Presence }
  /** Several participants' presence at once: what a server sends when many change together (a class leaving). */
  | { type: 'presence-batch'; presence: Record<string, Presence> }
  | { type: 'probe'; probe: ProbeDrag['probe'] };

export function emptyEphemeral(): EphemeralState {
  return { presence: {}, probe: null };
}

export const DEFAULT_PRESENCE: Presence = {
  online: false,
  backend: 'unknown',
  following: 'following',
  view: null,
  screenWidth: null,
};

/** Applies an update; returns a new object (the client keeps it in React state). */
export function applyEphemeral(state: EphemeralState, update: EphemeralUpdate): EphemeralState {
  if (update.type === 'probe') return { ...state, probe: update.probe };
  if (update.type === 'presence-batch')
    return { ...state, presence: { ...state.presence, ...update.presence } };
  return { ...state, presence: { ...state.presence, [update.participantId]: update.presence } };
}
