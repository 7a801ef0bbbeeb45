// The main thread's side of an import: a worker reads the file (server/replay/import-worker.ts) and hands
// back the verdict, then the events as rows in batches.
import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SessionError } from '../session/errors';
import type { EventRow } from '../session/event-row';
import type { ImportWorkerMessage } from './import-messages';

type Checked = Extract<ImportWorkerMessage, { type: 'checked' }>;

export interface SessionFileReading {
  /** The verdict: the file's header and exercises, or an `unprocessable` SessionError naming the problem. */
  checked: Promise<Checked>;
  /** The events as database rows, a batch at a time, in seq order. */
  rows(): AsyncGenerator<EventRow[]>;
  close(): Promise<void>;
}

export function readSessionFile(bytes: Uint8Array): SessionFileReading {
  const worker = new Worker(new URL('./import-worker-entry.mjs', import.meta.url), { workerData: { bytes } });
  const controller = new AbortController();
  const messages = on(worker, 'message', { signal: controller.signal }) as AsyncIterableIterator<
    [ImportWorkerMessage]
  >;
  const next = async (): Promise<ImportWorkerMessage> => {
    const { value, done } = await messages.next();
    if (done) throw new Error('the import worker stopped');
    return value[0];
  };
  const checked = next().then((message) => {
    if (message.type === 'refused') throw new SessionError('unprocessable', message.message, message.fields);
    if (message.type !== 'checked') throw new Error(`the import worker said ${message.type} first`);
    return message;
  });
  return {
    checked,
    async *rows() {
      await checked;
      for (;;) {
        const message = await next();
        if (message.type === 'end') return;
        if (message.type === 'rows') yield message.rows;
      }
    },
    async close() {
      controller.abort();
      await worker.terminate();
    },
  };
}
