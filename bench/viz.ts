// Benchmarks of the viz computations on the wasm backend, each section written into its marked place
// in docs/benchmarks.md (sections not run keep their figures).
// Usage: npm run bench -- [--only occlusion-speed,occlusion-accuracy,occlusion-live,top,atlas,feature-vis]
//   [--limit 1000 | --images 1000] [--batch 16] [--no-steps] [--no-write]
//   Quick check: npm run bench -- --only atlas --images 64 --no-write
//   [--backend wasm|webgpu|tensorflow|tensorflow-gpu|cpu] (a backend other than wasm writes docs/benchmarks-<backend>.md)
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import { topActivating } from '@/lib/viz';
import { backendLabel, initComputeBackend } from '@/server/compute/backend';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';
import { PROJECT_ROOT, packsDirFromEnv } from '@/server/models/paths';
import { atlasBench } from './atlas-bench';
import { featureVisSpeed } from './feature-vis-bench';
import { occlusionAccuracy, occlusionLive, occlusionSpeed } from './occlusion-bench';

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

async function benchTop(packsDir: string, limit: number, batch: number): Promise<string> {
  const files = imageFilesIn(path.join(packsDir, 'images/imagenet-sample-images')).slice(0, limit);
  const loaded = await loadPack(TOP.model);
  const memory = new MemoryPeak();
  const profile = await tf.profile(async () => {
    await topActivating(tf, loaded, decodeFilesAhead(files.slice(0, batch), loaded.manifest), {
      layer: TOP.layer,
      k: TOP.k,
      batchSize: batch,
      receptiveFieldOf: () => ({ box: [0, 0, 0, 0], clippedBox: [0, 0, 0, 0] }),
    });
  });
  memory.tensors = profile.peakBytes;
  const start = performance.now();
  const result = await topActivating(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
    layer: TOP.layer,
    k: TOP.k,
    batchSize: batch,
    total: files.length,
    onProgress: ({ done }) => {
      memory.sample();
      if (done % 100 === 0) console.error(`  top-activating: ${done}/${files.length}`);
    },
  });
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

const SECTIONS = [
  'occlusion-speed',
  'occlusion-accuracy',
  'occlusion-live',
  'top',
  'atlas',
  'feature-vis',
] as const;
type Section = (typeof SECTIONS)[number];

/** Replaces the text between `<!-- bench:name -->` and `<!-- /bench:name -->`, or appends the section. */
function writeSection(doc: string, name: string, body: string): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${body}\n${close}`;
  const a = doc.indexOf(open);
  const b = doc.indexOf(close);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + close.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: SECTIONS.join(',') },
      limit: { type: 'string', default: '1000' },
      /** The same as --limit: photos of the ImageNet sample to use. */
      images: { type: 'string' },
      'no-steps': { type: 'boolean', default: false },
      batch: { type: 'string', default: '16' },
      'no-write': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const only = values.only.split(',') as Section[];
  for (const name of only) {
    if (!SECTIONS.includes(name)) throw new Error(`--only takes ${SECTIONS.join(', ')}; got "${name}"`);
  }
  const packsDir = packsDirFromEnv();
  const batch = Number(values.batch);
  const limit = Number(values.images ?? values.limit);
  if (!(Number.isInteger(limit) && limit >= 1))
    throw new Error('--images / --limit takes a positive integer');
  process.env.CONVLENS_BACKEND = values.backend;
  const backend = backendLabel(await initComputeBackend());
  const doc = path.join(
    PROJECT_ROOT,
    'docs',
    values.backend === 'wasm' ? 'benchmarks.md' : `benchmarks-${values.backend}.md`,
  );
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const run: Record<Section, () => Promise<string>> = {
    'occlusion-speed': () => occlusionSpeed(packsDir),
    'occlusion-accuracy': () => occlusionAccuracy(packsDir, 32, 8),
    'occlusion-live': () => occlusionLive(),
    top: () => benchTop(packsDir, limit, batch),
    atlas: () => atlasBench({ packsDir, limit, batch, steps: !values['no-steps'] }),
    'feature-vis': () => featureVisSpeed({ packsDir, limit }),
  };
  let text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  for (const name of only) {
    console.error(`${name}:`);
    const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const body = await run[name]();
    const stamp = `Measured ${started} UTC with \`${command}\` on ${machine(backend)}; load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}.`;
    const section = `${body}\n\n${stamp}`;
    console.log(`## ${name}\n\n${section}\n`);
    text = writeSection(text, name, section);
    if (!values['no-write']) writeFileSync(doc, text);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
