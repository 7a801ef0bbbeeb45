// The server side of bench/hostile.ts: ConvLens (SQLite, no compute) in a child process that measures its
// own event loop, so a stall shows up as the server's, not the clients'.
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApplication } from '../server/app';
import { databaseConfig } from '../server/db/config';

const app = await createApplication({
  database: databaseConfig(
    process.env.BENCH_DATABASE_URL ?? `file:${join(tmpdir(), `convlens-hostile-${process.pid}.db`)}`,
  ),
  resetDatabase: !process.env.BENCH_DATABASE_URL,
  computeWorkers: 0,
});
await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

process.send?.({ type: 'ready', port: (app.httpServer.address() as AddressInfo).port });
process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    delay.reset();
    process.send?.({ type: 'reset' });
  }
  if (message.type === 'stall') {
    // The histogram reports nanoseconds: the longest stall is its maximum.
    process.send?.({ type: 'stall', maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 });
  }
  if (message.type === 'stop') void app.close().then(() => process.exit(0));
});
