// What an import must pass before anything is stored: the file's shape, its log version, a log that folds,
// and an asset list that names everything the log uses. Pure: runs in the import worker, off the event loop.
import type { LoggedEvent } from '../../lib/protocol/events';
import { type SessionExport, sessionExportSchema } from '../../lib/protocol/replay';
import type { ExerciseState } from '../../lib/protocol/state';
import { LOG_VERSION } from '../../lib/protocol/version';
import { fold } from '../../lib/session/reducer';
import { referencedAssets } from './referenced-assets';

export type ImportCheck =
  | {
      ok: true;
      header: Omit<SessionExport, 'events'>;
      events: LoggedEvent[];
      /** The exercises as the log ends (for the Exercise and Prediction tables). */
      exercises: ExerciseState[];
    }
  | { ok: false; message: string; fields?: Record<string, string[]> };

export function checkImport(text: string): ImportCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the file is not valid JSON' };
  }
  const parsed = sessionExportSchema.safeParse(json);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues.slice(0, 20)) {
      const key = issue.path.map(String).join('.') || '_';
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    return { ok: false, message: 'this is not a ConvLens session file', fields };
  }
  const file = parsed.data;
  if (file.logVersion > LOG_VERSION) {
    return {
      ok: false,
      message: `this file has log version ${file.logVersion}; this server reads up to ${LOG_VERSION}`,
    };
  }
  const events = file.events as LoggedEvent[];
  let exercises: ExerciseState[];
  try {
    exercises = fold(events).exercises;
  } catch (error) {
    return { ok: false, message: `the log does not replay: ${(error as Error).message}` };
  }
  const declared = referencedAssets(events);
  const listed = (ids: string[], assets: { id: string }[]) =>
    ids.filter((id) => !assets.some((a) => a.id === id));
  const unlisted = [
    ...listed(declared.models, file.assets.models),
    ...listed(declared.images, file.assets.images),
  ];
  if (unlisted.length > 0) {
    return { ok: false, message: `the file's asset list leaves out ${unlisted.join(', ')}` };
  }
  const { events: _, ...header } = file;
  return { ok: true, header, events, exercises };
}
