// What a participant's screen is a function of: the state every client folds from the log, and what a join
// answers with (a snapshot of it). The reducer that builds it lives in lib/session.
import type { Display, FilterDisplay, OcclusionParams, View } from './actions';
import type { FeatureVisParams } from './compute';
import type { ExerciseAnswer, ExerciseResult, ExerciseTask, ExerciseTruth } from './exercise';
import type { Neuron, Role } from './primitives';

export type ExercisePhase = 'open' | 'closed' | 'revealed';

/** One exercise as the log tells it. */
export interface ExerciseState {
  /** The seq of its `exercise.start` event. */
  id: number;
  task: ExerciseTask;
  prompt: string;
  startedAt: string;
  /** Answers are taken up to this instant (ISO, the server's clock). */
  deadline: string;
  /** open: taking answers; closed: the reveal is being computed; revealed: truth and scores are known. */
  phase: ExercisePhase;
  /** Students who have answered, in the order of their first answer: the live count. */
  answered: string[];
  /**
   * The answers this copy of the state may hold. The server's copy (and a replay of the stored log)
   * has all of them; before the reveal a browser holds only its own; after it, everyone's.
   */
  answers: Record<string, ExerciseAnswer>;
  truth: ExerciseTruth | null;
  /** Scores, in the order of `answered`; empty until revealed. */
  results: ExerciseResult[];
  /** The instructor shows the leaderboard to everyone. */
  leaderboard: boolean;
  /** Put away: the views are back. */
  dismissed: boolean;
}

/** Who took part (from the log); whether they are here now is ephemeral presence (presence.ts). */
export interface ParticipantState {
  id: string;
  name: string;
  role: Role;
  joinedSeq: number;
}

/** Everything a screen shows is a function of this; it changes only by folding logged events. */
export interface SessionState {
  seq: number;
  title: string;
  modelId: string;
  participants: Record<string, ParticipantState>;
  view: View;
  imageId: string | null;
  layer: string | null;
  neuron: Neuron | null;
  pinned: Neuron[];
  channels: number[];
  occlusion: OcclusionParams;
  filters: FilterDisplay;
  /** The feature visualisation the instructor started for the class; null until then. */
  featureVis: FeatureVisParams | null;
  /** The instructor's live patch position (top-left, model-input pixels); null when not dragging. */
  probe: { y: number; x: number } | null;
  mode: 'follow' | 'free';
  /** The join code and QR code on the projector; the "what am I seeing" paragraphs on every screen. */
  display: Display;
  compute: 'server' | 'browser';
  /** Prediction exercises, oldest first (lib/session/exercise-reducer.ts). */
  exercises: ExerciseState[];
}
