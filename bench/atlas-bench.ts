// The activation atlas against today's one-layer pass: the same photos through the same model, once
// ranking one layer's channels (topActivating), once every channel of every spatial layer (buildAtlas),
// and once more as the server builds it (steps of a few seconds, each resuming the last); then how fast a
// stored atlas answers (read from its bytes, then queried).
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  type ActivationAtlas,
  atlasFromBytes,
  atlasToBytes,
  buildAtlas,
  clipBox,
  layerReceptiveFields,
  neuronBox,
  queryAtlas,
  topActivating,
} from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';

const MODELS = [
  { id: 'mobilenet-v1-0.75', layer: 'conv_pw_11_relu' },
  { id: 'squeezenet-1.0', layer: 'fire9_concat' },
] as const;
const K = 9;
/** The server's step length (server/compute/atlas-service.ts). */
const STEP_MS = 4000;
const QUERY_CHANNELS = [0, 1, 2, 3, 4, 5];

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000, cpu: cpuSeconds(cpu) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export interface AtlasBenchOptions {
  packsDir: string;
  /** Photos of the ImageNet sample, the first n by name. */
  limit: number;
  batch: number;
  /** Also build in the server's steps (costs another build per model). */
  steps: boolean;
}

export async function atlasBench(options: AtlasBenchOptions): Promise<string> {
  const files = imageFilesIn(path.join(options.packsDir, 'images/imagenet-sample-images')).slice(
    0,
    options.limit,
  );
  const build = [
    '| model | images | one layer: layer (channels) | one layer (s) | all layers: layers (channels) | atlas (s) | atlas ÷ one layer | CPU: one layer / atlas (s) | CPU ratio | in server steps (s) | atlas size (KiB) | peak RSS (MB) |',
    '| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const query = [
    '| model | read from bytes (ms) | one layer, 6 channels: median / max over layers (ms) | one layer, all channels: median / max (ms) |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const { id, layer } of MODELS) {
    const loaded = await loadServerModel(tf, id);
    const source = () => decodeFilesAhead(files, loaded.manifest);
    // A short warm-up: the first passes set up the wasm kernels.
    await buildAtlas(tf, loaded, decodeFilesAhead(files.slice(0, options.batch), loaded.manifest), {
      k: K,
      batchSize: options.batch,
    });
    let rss = 0;
    const sample = () => {
      rss = Math.max(rss, process.memoryUsage.rss());
    };
    const one = await timed(() =>
      topActivating(tf, loaded, source(), {
        layer,
        k: K,
        batchSize: options.batch,
        onProgress: sample,
        receptiveFieldOf: () => ({ box: [0, 0, 0, 0], clippedBox: [0, 0, 0, 0] }),
      }),
    );
    console.error(`  ${id}: one layer ${fmt(one.seconds)} s`);
    const whole = await timed(() =>
      buildAtlas(tf, loaded, source(), { k: K, batchSize: options.batch, onProgress: sample }),
    );
    console.error(`  ${id}: atlas ${fmt(whole.seconds)} s`);
    let stepped: number | null = null;
    if (options.steps) {
      const run = await timed(async () => {
        let atlas: ActivationAtlas | undefined;
        while ((atlas?.imagesSeen ?? 0) < files.length) {
          // Each step starts from the atlas as bytes, as it crosses to and from a worker thread.
          const resume = atlas && atlasFromBytes(atlasToBytes(atlas));
          atlas = await buildAtlas(
            tf,
            loaded,
            decodeFilesAhead(files.slice(atlas?.imagesSeen ?? 0), loaded.manifest),
            { k: K, batchSize: options.batch, resume, stopAfterMs: STEP_MS, onProgress: sample },
          );
        }
        return atlas!;
      });
      stepped = run.seconds;
      console.error(`  ${id}: atlas in steps ${fmt(run.seconds)} s`);
    }
    const atlas = whole.value;
    const bytes = atlasToBytes(atlas);
    const channels = atlas.layers.reduce((sum, l) => sum + l.channels, 0);
    build.push(
      `| ${id} | ${atlas.imagesSeen} | ${layer} (${one.value.channels.length}) | ${fmt(one.seconds)} | ${atlas.layers.length} (${channels}) | ${fmt(whole.seconds)} | ${fmt(whole.seconds / one.seconds, 2)}× | ${fmt(one.cpu)} / ${fmt(whole.cpu)} | ${fmt(whole.cpu / one.cpu, 2)}× | ${stepped === null ? '—' : fmt(stepped)} | ${fmt(bytes.length / 1024, 0)} | ${fmt(rss / 2 ** 20, 0)} |`,
    );

    const read = await timed(async () => atlasFromBytes(bytes));
    const some: number[] = [];
    const all: number[] = [];
    const fieldsOf = layerReceptiveFields(loaded.layers);
    const { height, width } = loaded.manifest.inputSize;
    for (const { name, channels: count } of read.value.layers) {
      const field = fieldsOf.get(name)!;
      // The server's boxes: the layer's field arithmetic (atlas-service.ts).
      const fields = (y: number, x: number) => {
        const box = neuronBox(field, y, x);
        return { box, clippedBox: clipBox(box, height, width) };
      };
      for (const [times, channels] of [
        [some, QUERY_CHANNELS.filter((c) => c < count)],
        [all, undefined],
      ] as const) {
        const started = performance.now();
        queryAtlas(read.value, { layer: name, channels, k: K }, fields);
        times.push(performance.now() - started);
      }
    }
    some.sort((a, b) => a - b);
    all.sort((a, b) => a - b);
    query.push(
      `| ${id} | ${fmt(read.seconds * 1000)} | ${fmt(percentile(some, 0.5))} / ${fmt(some.at(-1)!)} | ${fmt(percentile(all, 0.5))} / ${fmt(all.at(-1)!)} |`,
    );
    loaded.dispose();
  }
  return [
    ...build,
    '',
    `Same photos (the first ${files.length} of the ImageNet sample by name), batches of ${options.batch}, k ${K}, one thread; images decoded with sharp, 4 in flight. "One layer" is today's top-activating pass (all the layer's channels); the atlas ranks every channel of every layer with a spatial output in one pass. "In server steps" builds it as the server does: steps of ${STEP_MS / 1000} s, each resuming from the last step's atlas read back from its bytes.`,
    '',
    ...query,
    '',
    "Query: the stored atlas read from its bytes (what the server does once per model and set, then keeps it in memory), then a query of every layer with receptive-field boxes from the layer's field arithmetic, as the server answers (server/compute/atlas-service.ts).",
  ].join('\n');
}
