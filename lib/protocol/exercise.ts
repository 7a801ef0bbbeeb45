import { z } from 'zod';
import { occlusionRequestSchema, probeRequestSchema } from './compute';
import { idSchema, plainText, unitIndexSchema } from './primitives';

export const DEFAULT_OCCLUSION_PROMPT = 'Where does covering the image hurt the prediction most?';
export const DEFAULT_PROBE_PROMPT = 'What will the probability be with the patch here?';
export const DEFAULT_TOP_N = 5;
export const MAX_TOP_N = 64;
/** Rows or columns of an occlusion grid a logged exercise may have (older sessions posed fine grids). */
export const MAX_GRID_SIDE = 128;
/** Rows or columns of the grid of a new exercise: finer grids cannot be painted on a student's screen. */
export const MAX_PAINT_SIDE = 16;
const MAX_CELLS = MAX_GRID_SIDE * MAX_GRID_SIDE;

const classIndex = unitIndexSchema;
const probability = z.number().min(0).max(1);
const cellIndex = z
  .number()
  .int()
  .min(0)
  .max(MAX_CELLS - 1);
const gridSide = z.number().int().min(1).max(MAX_GRID_SIDE);

/** An exercise is named by the seq of its `exercise.start` event. */
export const exerciseIdSchema = z.number().int().min(1);

/**
 * What the students predict, fixed when the exercise starts: exactly the
 * compute request the occlusion view (or the probe) would make, plus the grid.
 */
export const occlusionTaskSchema = occlusionRequestSchema.extend({
  rows: gridSide,
  cols: gridSide,
  /** How many cells count as "top": a student paints at most this many. */
  topN: z.number().int().min(1).max(MAX_TOP_N),
});
export type OcclusionTask = z.infer<typeof occlusionTaskSchema>;

export const probeTaskSchema = probeRequestSchema;
export type ProbeTask = z.infer<typeof probeTaskSchema>;

export const exerciseTaskSchema = z.discriminatedUnion('kind', [occlusionTaskSchema, probeTaskSchema]);
export type ExerciseTask = z.infer<typeof exerciseTaskSchema>;
export type ExerciseKind = ExerciseTask['kind'];

export const exerciseAnswerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('occlusion'),
    /** Row-major cell indices (row · cols + col), each once. */
    cells: z
      .array(cellIndex)
      .max(MAX_TOP_N)
      .refine((cells) => new Set(cells).size === cells.length, 'each cell at most once'),
  }),
  z.object({ kind: z.literal('probe'), percent: z.number().min(0).max(100) }),
]);
export type ExerciseAnswer = z.infer<typeof exerciseAnswerSchema>;

/** What the reveal was scored against: the facts, so a replay shows the same scores without computing. */
export const exerciseTruthSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('occlusion'),
    classIndex,
    baseProb: probability,
    /** The top-N cells by drop, with every cell tied with the N-th (ascending indices). */
    topCells: z.array(cellIndex).max(MAX_CELLS),
    /** The N-th largest drop: a cell is "top" when its drop is at least this (null: no finite drop). */
    threshold: z.number().nullable(),
  }),
  z.object({ kind: z.literal('probe'), classIndex, prob: probability }),
]);
export type ExerciseTruth = z.infer<typeof exerciseTruthSchema>;

/** One student's score, 0..1 (higher is better) with the numbers behind it; see docs/exercises.md. */
export const exerciseScoreSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('occlusion'),
    score: z.number().min(0).max(1),
    /** Painted cells that are top cells. */
    hits: z.number().int().min(0),
    /** Near misses credited: painted cells beside a top cell nobody else of theirs hit (absent in older logs). */
    near: z.number().int().min(0).optional(),
    /** Spearman correlation of painted (1) / not (0) with the drops; null when undefined. */
    rho: z.number().min(-1).max(1).nullable(),
  }),
  z.object({
    kind: z.literal('probe'),
    score: z.number().min(0).max(1),
    /** |guess − truth| in percentage points. */
    error: z.number().min(0).max(100),
  }),
]);
export type ExerciseScore = z.infer<typeof exerciseScoreSchema>;

export const exerciseResultSchema = z.object({
  participantId: idSchema,
  answer: exerciseAnswerSchema,
  score: exerciseScoreSchema,
});
export type ExerciseResult = z.infer<typeof exerciseResultSchema>;

/** What clients may ask about exercises; joined into `actionSchema`. */
export const exerciseActionSchemas = [
  z.object({
    type: z.literal('exercise.start'),
    task: exerciseTaskSchema,
    prompt: plainText(1, 200, 'a question'),
    /** Answers are taken until this long after the start, by the server's clock. */
    seconds: z.number().int().min(10).max(3600),
  }),
  /** A student's answer; a later one replaces it until the deadline or the reveal. */
  z.object({ type: z.literal('exercise.answer'), exercise: exerciseIdSchema, answer: exerciseAnswerSchema }),
  /** Closes answering; the server then computes the truth and records `exercise.revealed`. */
  z.object({ type: z.literal('exercise.reveal'), exercise: exerciseIdSchema }),
  z.object({ type: z.literal('exercise.leaderboard'), exercise: exerciseIdSchema, shown: z.boolean() }),
  /** Puts the exercise away: everyone is back to the views. */
  z.object({ type: z.literal('exercise.dismiss'), exercise: exerciseIdSchema }),
] as const;

/** Facts about exercises that only the server states; joined into `serverEventSchema`. */
export const exerciseServerEventSchemas = [
  z.object({
    type: z.literal('exercise.revealed'),
    exercise: exerciseIdSchema,
    truth: exerciseTruthSchema,
    /** Every answer as scored, in the order the students first answered. */
    results: z.array(exerciseResultSchema).max(10_000),
  }),
  /**
   * Never stored: what everyone but its author receives in place of an
   * `exercise.answer` before the reveal (same seq and actor, no answer).
   */
  z.object({ type: z.literal('exercise.answered'), exercise: exerciseIdSchema }),
] as const;
