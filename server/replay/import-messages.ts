import type { LoggedEvent } from '../../lib/protocol/events';
import type { SessionExport } from '../../lib/protocol/replay';
import type { ExerciseState } from '../../lib/protocol/state';
import type { EventRow } from '../session/event-row';

export type ImportWorkerMessage =
  | { type: 'refused'; message: string; fields?: Record<string, string[]> }
  | {
      type: 'checked';
      header: Omit<SessionExport, 'events'>;
      count: number;
      exercises: ExerciseState[];
      exerciseEvents: LoggedEvent[];
    }
  | { type: 'rows'; rows: EventRow[] }
  | { type: 'end' };
