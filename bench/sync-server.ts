// The server side of bench/sync.ts: ConvLens (SQLite, no compute) and a bare
// Socket.io broadcast server as the baseline, in one child process so its CPU
// and memory can be read apart from the clients'.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { createApplication } from '../server/app';
import { databaseConfig } from '../server/db/config';

const app = await createApplication({
  database: databaseConfig(`file:${join(tmpdir(), `convlens-bench-${process.pid}.db`)}`),
  resetDatabase: true,
  computeWorkers: 0,
});
await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));

const raw = createServer();
const io = new Server(raw, { serveClient: false });
io.on('connection', (socket) => {
  socket.join('room');
  socket.on('broadcast', (payload) => io.to('room').emit('broadcast', payload));
});
await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));

process.send?.({
  type: 'ready',
  convlens: (app.httpServer.address() as AddressInfo).port,
  raw: (raw.address() as AddressInfo).port,
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'usage') {
    process.send?.({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  }
  if (message.type === 'stop') {
    io.close();
    void app.close().then(() => process.exit(0));
  }
});
