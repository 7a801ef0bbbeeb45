// Benchmarks of the viz computations on the wasm backend: occlusion (one image per forward pass,
// batched, incremental) on the Pomeranian, and top-activating throughput over the ImageNet sample.
// Usage: npm run bench -- [--limit 1000] [--batch 16] [--skip-top] [--skip-occlusion] [--no-write]
//   [--backend wasm|webgpu|tensorflow|tensorflow-gpu|cpu] (a backend other than wasm writes docs/benchmarks-<backend>.md)
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import type { PixelImage } from '@/lib/viz/image';
import { type OcclusionMap, occlusionMap } from '@/lib/viz/occlusion';
import { layerReceptiveFieldOf, topActivating } from '@/lib/viz/top-activating';
import { backendLabel, initComputeBackend } from '@/server/compute/backend';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { decodeForModel } from '@/server/images/decode';
import { loadServerModel } from '@/server/models/load';
import { PROJECT_ROOT, packsDirFromEnv } from '@/server/models/paths';

const OCCLUSION_MODELS = ['mobilenet-v1-0.75', 'squeezenet-1.0'];
const PATCH = 32;
const STRIDE = 8;
const TOP = { model: 'mobilenet-v1-0.75', layer: 'conv_pw_11_relu', k: 9 };

/** Peak process RSS (sampled at each progress report) and peak tfjs tensor bytes of a phase. */
class MemoryPeak {
  rss = 0;
  tensors = 0;
  sample = (): void => {
    this.rss = Math.max(this.rss, process.memoryUsage.rss());
    this.tensors = Math.max(this.tensors, tf.memory().numBytes);
  };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function loadPack(id: string): Promise<LoadedModel> {
  return loadServerModel(tf, id);
}

interface OcclusionRow {
  model: string;
  path: string;
  positions: number;
  seconds: number;
  memory: MemoryPeak;
  map: OcclusionMap;
}

async function timeOcclusion(
  loaded: LoadedModel,
  image: PixelImage,
  path: string,
  options: Parameters<typeof occlusionMap>[3],
): Promise<OcclusionRow> {
  const memory = new MemoryPeak();
  const start = performance.now();
  const map = await occlusionMap(tf, loaded, image, { ...options, onProgress: memory.sample });
  const seconds = (performance.now() - start) / 1000;
  memory.sample();
  // Tensor peak inside the batches, from a short profiled run (two batches on a coarse grid).
  const profile = await tf.profile(async () => {
    await occlusionMap(tf, loaded, image, { ...options, stride: 48 });
  });
  memory.tensors = Math.max(memory.tensors, profile.peakBytes);
  console.error(`  ${loaded.manifest.id} ${path}: ${seconds.toFixed(1)} s`);
  return { model: loaded.manifest.id, path, positions: map.rows * map.cols, seconds, memory, map };
}

async function benchOcclusion(packsDir: string, batch: number): Promise<string> {
  const rows: OcclusionRow[] = [];
  const file = path.join(packsDir, 'images/test-images/dog_pomeranian.JPEG');
  for (const id of OCCLUSION_MODELS) {
    const loaded = await loadPack(id);
    const image = await decodeForModel(file, loaded.manifest);
    const base = { patch: PATCH, stride: STRIDE, fill: 'grey' as const };
    // Warm-up: the first forward passes compile and allocate.
    await occlusionMap(tf, loaded, image, { ...base, stride: 96, batchSize: batch });
    rows.push(await timeOcclusion(loaded, image, 'one image per forward pass', { ...base, batchSize: 1 }));
    rows.push(
      await timeOcclusion(loaded, image, `batched (${batch} per pass)`, { ...base, batchSize: batch }),
    );
    rows.push(
      await timeOcclusion(loaded, image, `incremental (${batch} per pass)`, {
        ...base,
        batchSize: batch,
        method: 'incremental',
      }),
    );
    loaded.dispose();
  }
  const lines = [
    `| model | path | positions | time (s) | ms / position | speed-up | max abs Δp vs one-per-pass | peak RSS (MB) | peak tf.memory (MB) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const reference = rows.find((r) => r.model === row.model)!;
    let maxDiff = 0;
    for (let i = 0; i < row.map.prob.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(row.map.prob[i] - reference.map.prob[i]));
    }
    lines.push(
      `| ${row.model} | ${row.path} | ${row.positions} | ${row.seconds.toFixed(1)} | ${((row.seconds * 1000) / row.positions).toFixed(1)} | ${(reference.seconds / row.seconds).toFixed(2)}× | ${maxDiff.toExponential(1)} | ${mb(row.memory.rss)} | ${mb(row.memory.tensors)} |`,
    );
  }
  const first = rows[0].map;
  lines.push(
    '',
    `Pomeranian top class ${first.classIndex}, p = ${first.baseProb.toFixed(3)} (${rows[0].model}); patch ${PATCH}, stride ${STRIDE}, grey fill: ${first.rows}×${first.cols} positions.`,
  );
  return lines.join('\n');
}

async function benchTop(packsDir: string, limit: number, batch: number): Promise<string> {
  const files = imageFilesIn(path.join(packsDir, 'images/imagenet-sample-images')).slice(0, limit);
  const loaded = await loadPack(TOP.model);
  const memory = new MemoryPeak();
  const profile = await tf.profile(async () => {
    await topActivating(
      tf,
      loaded,
      decodeFilesAhead(files.slice(0, batch), loaded.manifest),
      () => ({ box: [0, 0, 0, 0], clippedBox: [0, 0, 0, 0] }),
      {
        layer: TOP.layer,
        k: TOP.k,
        batchSize: batch,
      },
    );
  });
  memory.tensors = profile.peakBytes;
  const start = performance.now();
  const result = await topActivating(
    tf,
    loaded,
    decodeFilesAhead(files, loaded.manifest),
    layerReceptiveFieldOf(loaded, TOP.layer),
    {
      layer: TOP.layer,
      k: TOP.k,
      batchSize: batch,
      total: files.length,
      onProgress: ({ done }) => {
        memory.sample();
        if (done % 100 === 0) console.error(`  top-activating: ${done}/${files.length}`);
      },
    },
  );
  const seconds = (performance.now() - start) / 1000;
  loaded.dispose();
  return [
    '| model | layer | channels | k | images | time (s) | images / s | peak RSS (MB) | peak tf.memory (MB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${TOP.model} | ${TOP.layer} | ${result.channels.length} (all) | ${TOP.k} | ${result.imagesSeen} | ${seconds.toFixed(1)} | ${(result.imagesSeen / seconds).toFixed(1)} | ${mb(memory.rss)} | ${mb(memory.tensors)} |`,
    '',
    `One forward pass per batch of ${batch} serves all ${result.channels.length} channels; decoding (sharp, 4 in flight) overlaps the forward passes.`,
  ].join('\n');
}

function machine(backend: string): string {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = execSync('nproc').toString().trim();
  const ram = Math.round(totalmem() / 2 ** 30);
  return `nproc ${nproc}, ${model}, ${ram} GiB RAM, Node ${process.version}, @tensorflow/tfjs ${tf.version.tfjs}, backend ${backend === 'wasm' ? 'wasm (SIMD, no threads)' : backend}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      limit: { type: 'string', default: '1000' },
      batch: { type: 'string', default: '16' },
      'skip-top': { type: 'boolean', default: false },
      'skip-occlusion': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const packsDir = packsDirFromEnv();
  const batch = Number(values.batch);
  process.env.CONVLENS_BACKEND = values.backend;
  const backend = backendLabel(await initComputeBackend());
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const sections: string[] = [];
  if (!values['skip-occlusion']) {
    console.error(`occlusion, patch ${PATCH}, stride ${STRIDE}:`);
    sections.push(
      `## Occlusion map, Pomeranian, patch ${PATCH}, stride ${STRIDE}\n\n${await benchOcclusion(packsDir, batch)}`,
    );
  }
  if (!values['skip-top']) {
    console.error('top-activating:');
    sections.push(`## Top-activating images\n\n${await benchTop(packsDir, Number(values.limit), batch)}`);
  }
  const peak = `Peak RSS of the whole run (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)} MB.`;
  const report = [
    '# Benchmarks',
    '',
    `Machine: ${machine(backend)}.`,
    `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}).`,
    '',
    ...sections.flatMap((s) => [s, '']),
    peak,
    '',
    '## Notes',
    '',
    '- All paths run on the same backend (tfjs wasm with SIMD; wasm threads do not work in Node, so each run uses one core).',
    '  The machine is shared with other work, so times vary by ±20% between runs.',
    '- Batching does not help on wasm (±20%, within the noise): one thread is already busy with one image, so 16 per pass',
    '  mostly saves per-call overhead. Incremental inference is what pays: each patch changes a small window,',
    '  and only the outputs that window reaches are recomputed, layer by layer, until the window covers the',
    '  map (global pooling onwards runs whole). Its results equal the full pass (max abs Δp above).',
    '- Peak tf.memory is the largest amount of tensor memory held at once (tf.profile peakBytes on a short run',
    '  of the same path): weights, the batch, and for incremental the clean activations it keeps.',
    '  Peak RSS includes the wasm heap, which grows and is not returned.',
    '',
  ].join('\n');
  console.log(report);
  const file = values.backend === 'wasm' ? 'benchmarks.md' : `benchmarks-${values.backend}.md`;
  if (!values['no-write']) writeFileSync(path.join(PROJECT_ROOT, 'docs', file), report);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
