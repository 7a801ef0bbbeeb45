// npm run bench:pool — how much the server's worker-thread pool gains on this machine: the same batch of
// occlusion maps through 1 worker, then through one per core; and how long the shared view waits when students'
// exploration holds every worker, without and with the worker kept for it (WorkerPoolOptions.sharedLane).
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ComputeRequest } from '../lib/protocol/compute';
import { WorkerPool } from '../server/compute/worker-pool';
import { modelPaths } from '../server/models/paths';

const packs = existsSync(join(modelPaths().packsDir, 'models/mobilenet_v1_0.25_224/model.json'));
const [modelId, images, patch, stride] = packs
  ? [
      'mobilenet-v1-0.25',
      ['dog_pomeranian.JPEG', 'cat_tabby.JPEG', 'ml5_bird.jpg', 'ml5_kitten.jpg'].map(
        (f) => `test-images/${f}`,
      ),
      32,
      16,
    ]
  : [
      'mnist-cnn',
      [
        '000-4.png',
        '001-7.png',
        '002-6.png',
        '003-0.png',
        '004-1.png',
        '005-6.png',
        '006-7.png',
        '007-9.png',
      ].map((f) => `mnist/${f}`),
      4,
      1,
    ];

const occlusion = (imageId: string, everyPx: number): ComputeRequest => ({
  kind: 'occlusion',
  modelId,
  imageId,
  patch: patch as number,
  stride: everyPx,
  fill: 'grey',
  classIndex: null,
});
const requests = images.map((imageId) => occlusion(imageId, stride as number));
/** Students' exploration: finer maps, four times as many positions a side. */
const exploreStride = Math.max(1, (stride as number) / 4);

async function time(workers: number): Promise<number> {
  const pool = new WorkerPool({ size: workers });
  // Warm up: every worker loads the model and its backend once.
  await Promise.all(Array.from({ length: workers }, () => pool.run({ kind: 'model-info', modelId })));
  const started = performance.now();
  await Promise.all(requests.map((r) => pool.run(r)));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return seconds;
}

interface SharedWait {
  /** From the instructor's request to its result. */
  sharedS: number;
  /** From the first exploration job's start to the last one's result. */
  exploreS: number;
}

/** One exploration map per worker, then, a moment later, the shared view's map. */
async function sharedUnderExploration(workers: number, sharedLane: boolean): Promise<SharedWait> {
  const pool = new WorkerPool({ size: workers, sharedLane });
  await Promise.all(
    Array.from({ length: workers + (sharedLane ? 1 : 0) }, () => pool.run({ kind: 'model-info', modelId })),
  );
  const started = performance.now();
  const exploring = Promise.all(
    images.slice(0, workers).map((imageId) => pool.run(occlusion(imageId, exploreStride))),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const asked = performance.now();
  await pool.run(requests[requests.length - 1], { priority: 'shared' });
  const sharedS = (performance.now() - asked) / 1000;
  await exploring;
  const exploreS = (performance.now() - started) / 1000;
  await pool.close();
  return { sharedS, exploreS };
}

// The pool's workers do not keep a process alive by themselves (the server's sockets do); this does.
const keepAlive = setInterval(() => {}, 1000);
const cores = cpus().length;
const one = await time(1);
const many = await time(cores);
const table = `| workers | ${requests.length} occlusion maps (s) | speed-up |
| --- | ---: | ---: |
| 1 | ${one.toFixed(1)} | 1.00× |
| ${cores} | ${many.toFixed(1)} | ${(one / many).toFixed(2)}× |`;
console.log(table);
const queued = await sharedUnderExploration(cores, false);
const lane = await sharedUnderExploration(cores, true);
const laneTable = `| pool | shared view's map (s) | the exploration maps (s) |
| --- | ---: | ---: |
| ${cores} workers | ${queued.sharedS.toFixed(1)} | ${queued.exploreS.toFixed(1)} |
| ${cores} workers + the shared view's | ${lane.sharedS.toFixed(1)} | ${lane.exploreS.toFixed(1)} |`;
console.log(laneTable);
clearInterval(keepAlive);
writeFileSync(
  join(import.meta.dirname, '../docs/benchmarks-pool.md'),
  `# Worker pool benchmark

Command: \`npm run bench:pool\` (bench/pool.ts), ${new Date().toISOString().slice(0, 10)}, ${cores} × ${cpus()[0]?.model.trim()},
load average ${loadavg()[0].toFixed(1)} at the end. ${requests.length} occlusion maps of ${modelId} (patch ${patch}, stride ${stride},
incremental inference, wasm backend) submitted at once to the server's worker pool, after every worker has loaded the model.

${table}

## The shared view while exploration holds every worker

${cores} exploration maps (stride ${exploreStride}, one per worker), then 0.3 s later the shared view's map (stride ${stride}):
the time from its request to its result, and until the last exploration map is done. Without the worker kept for
the shared view, its map waits for an exploration map to finish; with it, it starts at once and shares the cores.

${laneTable}
`,
);
