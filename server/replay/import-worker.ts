// A worker thread that reads one session file: parse, check and fold off the event loop, then hand the
// events back as database rows in small batches (so no single message is slow to receive either).
import { parentPort, workerData } from 'node:worker_threads';
import { toEventRow } from '../session/event-row';
import { checkImport } from './import-check';
import type { ImportWorkerMessage } from './import-messages';

/** Rows per insert: a few tens of milliseconds of the server's event loop each (SQLite writes synchronously). */
export const IMPORT_BATCH = 100;

const port = parentPort;
if (!port) throw new Error('import-worker runs only as a worker thread');
const send = (message: ImportWorkerMessage) => port.postMessage(message);

const checked = checkImport(new TextDecoder().decode(workerData.bytes as Uint8Array));
if (!checked.ok) {
  send({ type: 'refused', message: checked.message, fields: checked.fields });
} else {
  const { events } = checked;
  send({
    type: 'checked',
    header: checked.header,
    count: events.length,
    exercises: checked.exercises,
    exerciseEvents: events.filter(
      (e) => e.body.type === 'exercise.answer' || e.body.type === 'exercise.revealed',
    ),
  });
  for (let start = 0; start < events.length; start += IMPORT_BATCH) {
    send({
      type: 'rows',
      rows: events.slice(start, start + IMPORT_BATCH).map(toEventRow),
    });
  }
  send({ type: 'end' });
}
