// Occlusion benchmarks: batched vs exact incremental vs the approximate modes (speed and error), the
// approximate modes on every pack model and test photo, and how soon the live view's coarse map arrives.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runCompute } from '@/lib/compute/run';
import type { LoadedModel } from '@/lib/models/types';
import type { PixelImage } from '@/lib/viz';
import { drillDown, type OcclusionMap, type OcclusionOptions, occlusionMap } from '@/lib/viz';
import { ImageCatalog } from '@/server/catalog/images';
import { createServerComputeEnv } from '@/server/compute/env';
import { decodeForModel } from '@/server/images/decode';
import { loadServerModel } from '@/server/models/load';

export const SPEED_MODELS = ['mobilenet-v1-0.75', 'squeezenet-1.0'];
export const ALL_PACK_MODELS = [
  'mobilenet-v1-0.75',
  'mobilenet-v1-0.25',
  'squeezenet-1.0',
  'darknet-tiny',
  'tinyvgg',
];
const SPEED_GRIDS: [number, number][] = [
  [16, 8],
  [16, 4],
  [32, 8],
  [32, 4],
];
/** Batched runs the whole network per position, the same work everywhere: timed on a sample. */
const BATCHED_SAMPLE = 64;

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Timed {
  map: OcclusionMap;
  /** Wall-clock seconds. */
  seconds: number;
  /** Process CPU seconds: one thread does the work, so this is what a quiet machine's wall clock would show. */
  cpu: number;
}

async function timed(loaded: LoadedModel, image: PixelImage, options: OcclusionOptions): Promise<Timed> {
  const start = performance.now();
  const cpu0 = cpuSeconds();
  const map = await occlusionMap(tf, loaded, image, options);
  return { map, seconds: (performance.now() - start) / 1000, cpu: cpuSeconds() - cpu0 };
}

/** Largest |drop| error against the exact map, and how many of its five largest drops the other shares. */
export function compareMaps(exact: OcclusionMap, other: OcclusionMap): { maxError: number; top5: number } {
  let maxError = 0;
  for (let i = 0; i < exact.drop.length; i++)
    maxError = Math.max(maxError, Math.abs(exact.drop[i] - other.drop[i]));
  const top = (d: Float32Array) =>
    Array.from(d.keys())
      .sort((a, b) => d[b] - d[a])
      .slice(0, 5);
  const exactTop = top(exact.drop);
  return { maxError, top5: top(other.drop).filter((c) => exactTop.includes(c)).length };
}

/** The batched path's time for the whole grid, from a sample of its positions (same cost at every position). */
async function batchedEstimate(
  loaded: LoadedModel,
  image: PixelImage,
  patch: number,
  stride: number,
  positions: number,
): Promise<{ seconds: number; cpu: number }> {
  // A stride giving about BATCHED_SAMPLE positions on the same patch.
  const side = image.height;
  let sampleStride = stride;
  while ((Math.floor((side - patch) / sampleStride) + 1) ** 2 > BATCHED_SAMPLE) sampleStride++;
  const run = await timed(loaded, image, { patch, stride: sampleStride, method: 'batched', batchSize: 16 });
  const sampled = run.map.rows * run.map.cols;
  return { seconds: (run.seconds / sampled) * positions, cpu: (run.cpu / sampled) * positions };
}

/** Timed runs of each path, taken in turns so that a slow spell of the machine hits them alike. */
const REPEATS = 3;

function median<T extends { cpu: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.cpu - b.cpu)[Math.floor(runs.length / 2)];
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** Speed of each path on the Pomeranian at the grids the issue names. */
export async function occlusionSpeed(packsDir: string): Promise<string> {
  const lines = [
    '| model | patch / stride | positions | path | time (s) | CPU (s) | × batched (CPU) | max \\|drop error\\| | top-5 shared |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const file = path.join(packsDir, 'images/test-images/dog_pomeranian.JPEG');
  for (const id of SPEED_MODELS) {
    const loaded = await loadServerModel(tf, id);
    const image = await decodeForModel(file, loaded.manifest);
    // Warm both paths (kernels, the folded weights, wasm memory) before timing either.
    await occlusionMap(tf, loaded, image, { patch: 32, stride: 96, method: 'incremental' });
    await occlusionMap(tf, loaded, image, { patch: 32, stride: 96, method: 'batched' });
    for (const [patch, stride] of SPEED_GRIDS) {
      const exactRuns: Timed[] = [];
      const batchedRuns: { seconds: number; cpu: number }[] = [];
      for (let r = 0; r < REPEATS; r++) {
        exactRuns.push(await timed(loaded, image, { patch, stride, method: 'incremental' }));
        const positions = exactRuns[0].map.rows * exactRuns[0].map.cols;
        batchedRuns.push(await batchedEstimate(loaded, image, patch, stride, positions));
      }
      const exact = median(exactRuns);
      const batched = median(batchedRuns);
      const positions = exact.map.rows * exact.map.cols;
      const rows: [string, { seconds: number; cpu: number }, OcclusionMap | null][] = [
        [`batched, 16 per pass (from ${BATCHED_SAMPLE} positions; median of ${REPEATS})`, batched, null],
        [`exact incremental (median of ${REPEATS})`, exact, exact.map],
      ];
      for (const mode of ['projective', 'adaptive'] as const) {
        const run = await timed(loaded, image, { patch, stride, method: 'incremental', mode });
        const a = run.map.approximation;
        const detail = a?.mode === 'adaptive' ? `${a.computed} computed` : `spread ${a?.spread}`;
        rows.push([`${mode} (${detail})`, run, run.map]);
      }
      for (const [name, t, map] of rows) {
        const cmp = map ? compareMaps(exact.map, map) : null;
        lines.push(
          `| ${id} | ${patch} / ${stride} | ${positions} | ${name} | ${fmt(t.seconds)} | ${fmt(t.cpu)} | ${fmt(batched.cpu / t.cpu, 2)}× | ${cmp ? cmp.maxError.toExponential(1) : '—'} | ${cmp ? `${cmp.top5}/5` : '—'} |`,
        );
      }
      console.error(
        `  ${id} ${patch}/${stride}: exact ${exactRuns.map((r) => fmt(r.cpu)).join('/')} s CPU, batched ${batchedRuns.map((r) => fmt(r.cpu)).join('/')} s CPU`,
      );
    }
    loaded.dispose();
  }
  return lines.join('\n');
}

/** Refinement thresholds tried when asking what adaptive drill-down must compute to stay within 0.02. */
const FRONTIER_THRESHOLDS = [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0];

/**
 * The cheapest adaptive drill-down (first level step 2) that keeps max |drop error| ≤ 0.02 and the top-5
 * cells. Its computed cells equal the exact map's, so replaying the drill-down on the exact map gives
 * the same map without running the network again.
 */
async function adaptiveFrontier(exact: OcclusionMap): Promise<{ computed: number; threshold: number }> {
  for (const threshold of FRONTIER_THRESHOLDS) {
    const result = await drillDown(async (cells) => Float32Array.from(cells, (c) => exact.drop[c]), {
      rows: exact.rows,
      cols: exact.cols,
      step: 2,
      threshold,
    });
    const cmp = compareMaps(exact, { ...exact, drop: result.drop });
    let computed = 0;
    for (const c of result.computed) computed += c;
    if (cmp.maxError <= 0.02 && cmp.top5 === 5) return { computed, threshold };
  }
  return { computed: exact.rows * exact.cols, threshold: 0 };
}

/** The 90th percentile of |drop| differences between side-by-side cells: how rough the map is. */
function neighbourDifference(map: OcclusionMap): number {
  const differences: number[] = [];
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.cols; c++) {
      const i = r * map.cols + c;
      if (c + 1 < map.cols) differences.push(Math.abs(map.drop[i] - map.drop[i + 1]));
      if (r + 1 < map.rows) differences.push(Math.abs(map.drop[i] - map.drop[i + map.cols]));
    }
  }
  differences.sort((a, b) => a - b);
  return differences[Math.floor(0.9 * (differences.length - 1))] ?? 0;
}

/** The approximate modes against the exact map on every pack model and test photo. */
export async function occlusionAccuracy(packsDir: string, patch: number, stride: number): Promise<string> {
  const dir = path.join(packsDir, 'images/test-images');
  const photos = readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f));
  const lines = [
    '| model | photo | largest exact drop | neighbours differ (p90) | exact CPU (s) | projective: × exact, max \\|error\\|, top-5 | adaptive: × exact, computed, max \\|error\\|, top-5 | adaptive within 0.02 and top-5: computed (threshold) |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  const worst = { projective: 0, adaptive: 0 };
  for (const id of ALL_PACK_MODELS) {
    const loaded = await loadServerModel(tf, id);
    for (const photo of photos) {
      const image = await decodeForModel(path.join(dir, photo), loaded.manifest);
      const exact = await timed(loaded, image, { patch, stride, method: 'incremental' });
      const cells: string[] = [];
      for (const mode of ['projective', 'adaptive'] as const) {
        const run = await timed(loaded, image, { patch, stride, method: 'incremental', mode });
        const cmp = compareMaps(exact.map, run.map);
        worst[mode] = Math.max(worst[mode], cmp.maxError);
        const computed =
          mode === 'adaptive' ? `${run.map.approximation?.computed}/${run.map.rows * run.map.cols}, ` : '';
        cells.push(`${fmt(exact.cpu / run.cpu, 2)}×, ${computed}${cmp.maxError.toFixed(3)}, ${cmp.top5}/5`);
      }
      const frontier = await adaptiveFrontier(exact.map);
      const total = exact.map.rows * exact.map.cols;
      cells.push(`${frontier.computed}/${total} (${frontier.threshold})`);
      const largest = Math.max(...exact.map.drop);
      lines.push(
        `| ${id} | ${photo} | ${largest.toFixed(3)} | ${neighbourDifference(exact.map).toFixed(3)} | ${fmt(exact.cpu)} | ${cells.join(' | ')} |`,
      );
      console.error(`  ${id} ${photo}: ${cells.join('; ')}`);
    }
    loaded.dispose();
  }
  lines.push(
    '',
    `Worst max |drop error| over all rows: projective ${worst.projective.toFixed(3)}, adaptive ${worst.adaptive.toFixed(3)}.`,
  );
  return lines.join('\n');
}

/** The live default through runCompute, as a worker runs it: when the coarse map and the final map arrive. */
export async function occlusionLive(): Promise<string> {
  const env = createServerComputeEnv(tf, await ImageCatalog.discover());
  const imageId = 'test-images/dog_pomeranian.JPEG';
  const lines = [
    '| model | patch / stride | coarse map | first partial (s) | final map (s) | final CPU (s) |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const modelId of SPEED_MODELS) {
    // A warm worker: the model is loaded and has run once.
    await runCompute(env, { kind: 'predict', modelId, imageId });
    for (const [patch, stride] of [
      [32, 8],
      [16, 4],
      [8, 4],
    ]) {
      const start = performance.now();
      const cpu0 = cpuSeconds();
      let first: { at: number; map: OcclusionMap } | null = null;
      const map = await runCompute(
        env,
        { kind: 'occlusion', modelId, imageId, patch, stride, fill: 'grey', classIndex: null },
        {
          onPartial: (partial) => {
            first ??= { at: (performance.now() - start) / 1000, map: partial as OcclusionMap };
          },
        },
      );
      const seconds = (performance.now() - start) / 1000;
      const cpu = cpuSeconds() - cpu0;
      const partial = first as { at: number; map: OcclusionMap } | null;
      const coarse = partial ? `${partial.map.rows}×${partial.map.cols}, stride ${partial.map.stride}` : '—';
      lines.push(
        `| ${modelId} | ${patch} / ${stride} (${map.rows}×${map.cols}) | ${coarse} | ${partial ? fmt(partial.at, 2) : '—'} | ${fmt(seconds)} | ${fmt(cpu)} |`,
      );
      console.error(
        `  live ${modelId} ${patch}/${stride}: partial ${partial?.at.toFixed(2)} s, final ${fmt(seconds)} s`,
      );
    }
  }
  return lines.join('\n');
}
