import type { Action } from '@/lib/protocol/actions';

/** Sends an action to the session (instructor) or applies it to a student's own view (free explore). */
export type Dispatch = (action: Action) => void;
