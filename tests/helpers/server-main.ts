// A ConvLens API server in its own process, for tests that kill it (SIGKILL) and start it again on the same
// database. Prints one JSON line {"url": …} on stdout once it listens. Database from DATABASE_URL.
import type { AddressInfo } from 'node:net';
import { createApplication } from '@/server/app';

const app = await createApplication();
app.httpServer.listen(0, '127.0.0.1', () => {
  const { port } = app.httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
