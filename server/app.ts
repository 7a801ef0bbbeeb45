import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { ImageCatalog } from './catalog/images';
import { ModelFiles } from './catalog/model-files';
import { fanOutBetweenServers, joinCluster } from './cluster';
import { atlasIdentity } from './compute/atlas-identity';
import { AtlasService } from './compute/atlas-service';
import { AtlasStore } from './compute/atlas-store';
import { type ActiveBackend, initComputeBackend } from './compute/backend';
import { BullComputeQueue } from './compute/bull-queue';
import { createCostFacts } from './compute/cost-facts';
import { JobCounts } from './compute/job-counts';
import { COMPUTE_LIMITS, type ComputeLimits } from './compute/limits';
import { startQueueWorker } from './compute/queue-worker';
import { DatabaseResultStore } from './compute/result-store';
import { ComputeService } from './compute/service';
import { WorkerPool } from './compute/worker-pool';
import { type Db, openDatabase, removeSqliteFile } from './db/client';
import { type DatabaseConfig, databaseConfig } from './db/config';
import { migrateDatabase } from './db/migrate';
import { ExerciseService } from './exercises/service';
import { ExerciseTables } from './exercises/tables';
import { createHealthCheck } from './health';
import { createApiHandler } from './http/routes';
import { DEFAULT_LIMITS, limitsFromEnv, RateLimits, type ServerLimits } from './limits';
import { log as defaultLog, type Logger } from './log';
import { AssetHasher } from './replay/assets';
import { ReplayService } from './replay/service';
import { catalogLookup } from './session/catalog-lookup';
import { DEFAULT_SESSION_LIMITS, SessionService } from './session/service';
import { SessionStore } from './session/store';
import { attachSockets, type IoServer } from './socket';

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface AppOptions {
  database?: DatabaseConfig;
  /** Delete an SQLite database before migrating (tests, CONVLENS_RESET_DB=1). */
  resetDatabase?: boolean;
  /** Serves everything outside /api (Next.js); omitted in API-only tests. */
  pages?: PageHandler;
  /** A Redis shared by several servers (REDIS_URL); none: this server is alone. */
  redisUrl?: string;
  /** Redis stream of the Socket.io adapter (tests keep theirs apart). */
  redisStream?: string;
  /** Overrides of the client limits (server/limits.ts); CONVLENS_LIMITS sets them from the environment. */
  limits?: Partial<ServerLimits>;
  /** How long a room nobody is connected to stays in memory (tests make it short). */
  roomIdleMs?: number;
  /** Worker threads computing results; 0 switches server compute off (browsers compute). */
  computeWorkers?: number;
  /** Compute bounds (docs/limits.md); tests lower them. */
  computeLimits?: Partial<ComputeLimits>;
  /** With a Redis: send jobs to compute worker processes through BullMQ (default), or keep them in this process. */
  computeQueue?: boolean;
  /**
   * With the queue: this server also takes jobs from it on its own threads (default; CONVLENS_EMBEDDED_WORKER=off
   * leaves compute to `npm run worker` processes).
   */
  embeddedWorker?: boolean;
  /** The compute worker script (tests substitute one that can trap). */
  computeWorkerEntry?: URL;
  log?: Logger;
}

export interface Application {
  httpServer: Server;
  io: IoServer;
  db: Db;
  sessions: SessionService;
  compute: ComputeService;
  images: ImageCatalog;
  close(): Promise<void>;
}

/** Builds the whole server without listening: index.ts wires it to a port, tests to a random one. */
export async function createApplication(options: AppOptions = {}): Promise<Application> {
  const log = options.log ?? defaultLog;
  const database = options.database ?? databaseConfig();
  const trustProxy = process.env.CONVLENS_TRUST_PROXY === '1';
  if (options.resetDatabase) removeSqliteFile(database);
  await migrateDatabase(database);
  const db = await openDatabase(database);

  let backend: ActiveBackend | null = null;
  initComputeBackend().then(
    (ready) => {
      backend = ready;
      log.info({ backend: ready.name, adapter: ready.adapter }, 'compute backend ready');
    },
    (error) => log.error({ err: error }, 'no compute backend'),
  );

  const clientLimits: ServerLimits = { ...DEFAULT_LIMITS, ...limitsFromEnv(), ...options.limits };
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const rateLimits = await RateLimits.create(clientLimits, redisUrl);
  const store = new SessionStore(db);
  const models = await ModelFiles.open(log);
  const images = await ImageCatalog.discover({ log });
  const sessions = new SessionService(store, catalogLookup(models, images), {
    ...DEFAULT_SESSION_LIMITS,
    maxSocketsPerParticipant: clientLimits.socketsPerParticipant,
    ...(options.roomIdleMs !== undefined ? { roomIdleMs: options.roomIdleMs } : {}),
  });
  const workers = options.computeWorkers ?? computeWorkersFromEnv();
  const limits = { ...COMPUTE_LIMITS, ...options.computeLimits };
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  redis?.on('error', (error) => log.warn({ err: error }, 'Redis (compute)'));
  const resultStore = new DatabaseResultStore(db);
  // With a shared Redis, jobs go to compute worker processes (npm run worker); alone, to this process's threads.
  const queued = redis !== undefined && workers > 0 && (options.computeQueue ?? true);
  const embedded = queued && (options.embeddedWorker ?? process.env.CONVLENS_EMBEDDED_WORKER !== 'off');
  const pool =
    workers > 0 && (!queued || embedded)
      ? new WorkerPool({
          size: workers,
          entry: options.computeWorkerEntry,
          budgetMs: limits.timeBudgetMs,
          // A queue worker takes only as many jobs as the pool has regular workers: a lane would stay idle.
          sharedLane: !queued,
        })
      : null;
  const queue =
    queued && redis ? new BullComputeQueue(redis, resultStore, { prefix: options.redisStream }) : null;
  const queueWorker =
    embedded && redisUrl && pool
      ? await startQueueWorker({ redisUrl, store: resultStore, pool, prefix: options.redisStream, log })
      : null;
  const hasher = new AssetHasher(models, images);
  // Atlases are built on this server's own threads (also an embedded queue worker's); without any, stored ones are read.
  const atlas =
    pool || queue
      ? new AtlasService({
          pool,
          store: new AtlasStore(db),
          identity: (modelId, imageSetId, k) =>
            atlasIdentity({ models, images, hasher }, modelId, imageSetId, k),
          log,
        })
      : undefined;
  const compute = new ComputeService(
    queue ?? pool,
    {
      enabled: (queue ?? pool) !== null,
      maxPending: limits.maxPending,
      cacheBytes: 256 * 1024 * 1024,
      maxForwardPasses: limits.maxForwardPasses,
      costFacts: createCostFacts(images),
      counts: new JobCounts(limits.jobCounts, { redis, prefix: options.redisStream }),
      atlas,
    },
    resultStore,
  );
  const replays = new ReplayService(db, store, hasher);
  const handleApi = createApiHandler({
    sessions,
    replays,
    compute,
    images,
    models,
    log,
    limits: rateLimits,
    trustProxy,
    health: createHealthCheck({
      db,
      database,
      computeBackend: () => backend,
      startedAt: Date.now(),
    }),
  });

  const httpServer = createServer(async (req, res) => {
    if (await handleApi(req, res)) return;
    if (options.pages) return options.pages(req, res);
    res.writeHead(404).end();
  });
  const exercises = new ExerciseService({
    sessions,
    compute,
    models,
    images,
    tables: new ExerciseTables(db),
    log,
  });
  const cluster = redisUrl ? await joinCluster(redisUrl, options.redisStream) : null;
  const io = attachSockets(httpServer, {
    sessions,
    compute,
    exercises,
    limits: rateLimits,
    log,
    adapter: cluster?.adapter,
    trustProxy,
    imageSets: () =>
      images
        .list()
        .filter((set) => set.images.length > 0)
        .map((set) => set.id),
  });
  if (cluster) fanOutBetweenServers(io, sessions, log);

  return {
    httpServer,
    io,
    db,
    sessions,
    compute,
    images,
    async close() {
      // Closing Socket.io also closes the HTTP server; departures it records are awaited before the database goes.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await sessions.drain();
      sessions.close();
      await queueWorker?.close(true);
      atlas?.close();
      await db.$disconnect();
      await pool?.close();
      await queue?.close();
      redis?.disconnect();
      await cluster?.close();
      await rateLimits.close();
    },
  };
}

/** CONVLENS_COMPUTE_WORKERS (default: one per core, at most 4); CONVLENS_SERVER_COMPUTE=off for none. */
function computeWorkersFromEnv(): number {
  if (process.env.CONVLENS_SERVER_COMPUTE === 'off') return 0;
  const configured = Number(process.env.CONVLENS_COMPUTE_WORKERS);
  return Number.isInteger(configured) && configured >= 0 ? configured : Math.min(availableParallelism(), 4);
}
