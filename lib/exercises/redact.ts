// Answers stay private until the reveal: everyone but their author gets a copy without them.
import type { LoggedEvent } from '../protocol/events';
import type { JoinResult } from '../protocol/socket';
import type { SessionState } from '../session/state';

/** Whether this event carries something only its author may see before the reveal. */
export function isPrivateEvent(event: LoggedEvent): boolean {
  return event.body.type === 'exercise.answer';
}

/**
 * The event as `viewer` may see it: an answer by someone else becomes an
 * `exercise.answered` with the same seq, time and actor, so every client
 * folds a gap-free log and counts who has answered, but not what.
 * After the reveal the answers arrive in `exercise.revealed`.
 */
export function redactEvent(event: LoggedEvent, viewer: string | null): LoggedEvent {
  if (event.body.type !== 'exercise.answer' || event.actor === viewer) return event;
  return { ...event, body: { type: 'exercise.answered', exercise: event.body.exercise } };
}

/** The state as `viewer` may see it: what folding the redacted log gives. */
export function redactState(state: SessionState, viewer: string | null): SessionState {
  if (!state.exercises.some((e) => e.phase !== 'revealed')) return state;
  return {
    ...state,
    exercises: state.exercises.map((exercise) => {
      if (exercise.phase === 'revealed') return exercise;
      const own = viewer ? exercise.answers[viewer] : undefined;
      return { ...exercise, answers: own && viewer ? { [viewer]: own } : {} };
    }),
  };
}

export function redactJoinResult(result: JoinResult, viewer: string): JoinResult {
  return result.kind === 'snapshot'
    ? { ...result, state: redactState(result.state, viewer) }
    : { ...result, events: result.events.map((event) => redactEvent(event, viewer)) };
}
