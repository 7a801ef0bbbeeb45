// One socket server of bench/load.ts: ConvLens on the shared PostgreSQL and Redis, compute through the queue.
import type { AddressInfo } from 'node:net';
import { createApplication } from '../server/app';
import { databaseConfig } from '../server/db/config';

const app = await createApplication({
  database: databaseConfig(process.env.DATABASE_URL),
  redisUrl: process.env.REDIS_URL,
  redisStream: process.env.CONVLENS_QUEUE_PREFIX,
});
await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
process.send?.({ type: 'ready', port: (app.httpServer.address() as AddressInfo).port });
