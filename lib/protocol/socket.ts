import { z } from 'zod';
import type { Action } from './actions';
import {
  COMPUTE_ERROR_CODES,
  type ComputeAccepted,
  type ComputePartial,
  type ComputeProgress,
} from './compute';
import type { LoggedEvent } from './events';
import type { LessonPrepProgress } from './lesson-prep';
import type { EphemeralState, EphemeralUpdate } from './presence';
import { displayNameSchema, idSchema, joinCodeSchema, type Role } from './primitives';
import type { SessionState } from './state';

export const ERROR_CODES = [
  'bad-request',
  'not-found',
  /** A credential is needed (the instructor key, a share link). */
  'unauthorized',
  'forbidden',
  /** Well-formed but refused as a whole (an import whose log does not replay, or whose assets are missing). */
  'unprocessable',
  'client-too-old',
  'client-too-new',
  'rate-limited',
  /** A declared limit (docs/limits.md) would be exceeded: too many sockets, jobs, positions… */
  'limit-exceeded',
  'not-joined',
  'unknown-event',
  'internal',
  ...COMPUTE_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Every acknowledgement: a value or a named error, never a thrown exception. */
export type Response<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

export const joinRequestSchema = z
  .object({
    protocolVersion: z.number().int(),
    joinCode: joinCodeSchema,
    name: displayNameSchema.optional(),
    instructorKey: z.string().min(16).max(128).optional(),
    /** Resume as this participant (reconnect, reload): with the instructor key, or with its resume secret. */
    participantId: idSchema.optional(),
    /** Given once, in the answer to the join that created the participant; only its hash is stored. */
    resumeSecret: z.string().min(16).max(128).optional(),
    /** The last seq this client folded; the server sends only what follows. */
    lastSeq: z.number().int().min(0).optional(),
    /** The projector's screen: follows, takes no part, and is never sent the instructor key. */
    presenter: z.literal(true).optional(),
  })
  .refine((r) => r.name || r.instructorKey || r.presenter || (r.participantId && r.resumeSecret), {
    message: 'a name (students) or the instructor key is required',
  })
  .refine((r) => !(r.presenter && r.instructorKey), {
    message: 'the presenter view joins without the instructor key',
  });
export type JoinRequest = z.infer<typeof joinRequestSchema>;

export type JoinResult = {
  participantId: string;
  role: Role;
  sessionId: string;
  /** Present when this join created the participant: keep it to resume as them later. */
  resumeSecret?: string;
  /** Who is here now and the patch being dragged: not in the log. */
  ephemeral: EphemeralState;
} & ({ kind: 'snapshot'; state: SessionState } | { kind: 'events'; events: LoggedEvent[] });

export const SOCKET_EVENTS = {
  join: 'session:join',
  act: 'session:act',
  presence: 'session:presence',
  probe: 'session:probe',
  event: 'session:event',
  ephemeral: 'session:ephemeral',
  error: 'session:error',
  compute: 'compute:request',
  progress: 'compute:progress',
  partial: 'compute:partial',
  cancel: 'compute:cancel',
  prepare: 'compute:prepare',
  prepareCancel: 'compute:prepare-cancel',
  prepared: 'compute:prepared',
} as const;

export interface ClientToServerEvents {
  'session:join': (request: unknown, ack: (response: Response<JoinResult>) => void) => void;
  'session:act': (action: unknown, ack: (response: Response<{ seq: number }>) => void) => void;
  /** Ephemeral: this participant's backend, following or exploring, and view (PresenceUpdate). */
  'session:presence': (update: unknown, ack?: (response: Response<null>) => void) => void;
  /** Ephemeral, instructor only: the patch while it is dragged (ProbeDrag); `probe.set` logs where it lands. */
  'session:probe': (drag: unknown, ack?: (response: Response<null>) => void) => void;
  /** Answered when the result is ready (or at once with "unavailable": the browser computes it). */
  'compute:request': (request: unknown, ack: (response: Response<ComputeAccepted>) => void) => void;
  /** This client no longer waits for that key; the job stops at its next batch when nobody else does. */
  'compute:cancel': (request: unknown) => void;
  /** The instructor asks the server to compute a lesson's results ahead (lib/protocol/lesson-prep.ts). */
  'compute:prepare': (request: unknown, ack: (response: Response<{ steps: number }>) => void) => void;
  'compute:prepare-cancel': () => void;
}

export interface ServerToClientEvents {
  /** How far the lesson preparation this instructor asked for is. */
  'compute:prepared': (progress: LessonPrepProgress) => void;
  'session:event': (event: LoggedEvent) => void;
  'session:error': (error: ProtocolError) => void;
  'session:ephemeral': (update: EphemeralUpdate) => void;
  /** A job's state (queued, running, cancelled, failed), sent to the whole session so everyone sees it. */
  'compute:progress': (progress: ComputeProgress) => void;
  /** An early, coarser result (occlusion: the coarse grid) for those who asked. */
  'compute:partial': (partial: ComputePartial) => void;
}

export type { Action };
