// Wires the application to a port with Next.js serving the pages.
// Development: `npm run dev` (hot reload). Production: `npm start` (builds first).
import next from 'next';
import { createApplication } from './app';
import { projectRoot } from './db/config';
import { log } from './log';

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';

async function main(): Promise<void> {
  const nextApp = next({ dev, dir: projectRoot, hostname, port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const app = await createApplication({
    resetDatabase: process.env.CONVLENS_RESET_DB === '1',
    pages: (req, res) => handle(req, res),
  });
  app.httpServer.listen(port, hostname, () => {
    log.info(
      { url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`, dev },
      'ConvLens is up',
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      app.close().finally(() => process.exit(0));
    });
  }
}

main().catch((error) => {
  log.fatal({ err: error }, 'ConvLens could not start');
  process.exit(1);
});
