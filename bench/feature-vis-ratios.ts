// Does feature visualisation work? For 10 channels per model, spread over an early, a middle and a late layer:
// the optimised image's activation ÷ the best of the photos (the channel's mean over positions, the same
// objective for both), and its own channel ÷ the mean of the layer's other channels. Default settings
// (256 steps, learning rate 0.05, the model's input size, seed 0) on the wasm backend.
// Usage: npm run bench:feature-vis-ratios -- [--models mnist-cnn,mobilenet-v1-0.75,squeezenet-1.0] [--steps 256]
//        [--lr 0.05] [--limit 1000] [--layers conv_pw_12_relu,fire9_concat] [--no-write]
// --layers runs only those of the planned layers (the block written then holds only their rows).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { LoadedModel } from '@/lib/models/types';
import { bestImagesPerChannel, channelMeans, featureVisualization, selectivity } from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';
import { PROJECT_ROOT, packsDirFromEnv } from '@/server/models/paths';

interface Plan {
  model: string;
  /** Early, middle and late layers; 3, 3 and 4 channels. */
  layers: [string, string, string];
  photos: () => string;
}

const PLANS: Plan[] = [
  {
    model: 'mnist-cnn',
    layers: ['conv1', 'conv2', 'conv3'],
    photos: () => path.join(PROJECT_ROOT, 'public/images/mnist'),
  },
  {
    model: 'mobilenet-v1-0.75',
    layers: ['conv_pw_3_relu', 'conv_pw_7_relu', 'conv_pw_12_relu'],
    photos: () => path.join(packsDirFromEnv(), 'images/imagenet-sample-images'),
  },
  {
    model: 'squeezenet-1.0',
    layers: ['fire2_concat', 'fire5_concat', 'fire9_concat'],
    photos: () => path.join(packsDirFromEnv(), 'images/imagenet-sample-images'),
  },
];

const PER_LAYER = [3, 3, 4];
const START = '<!-- feature-vis-ratios:start -->';
const END = '<!-- feature-vis-ratios:end -->';

interface Row {
  model: string;
  layer: string;
  channel: number;
  optimised: number;
  photo: number;
  photoId: string;
  photos: number;
  selectivity: number;
  seconds: number;
}

/** `count` channels evenly spread over 0..channels−1 (not chosen by how well they do). */
function spread(channels: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * channels) / count));
}

function channelsOf(loaded: LoadedModel, layer: string): number {
  const info = loaded.layers.find((l) => l.name === layer);
  if (!info) throw new Error(`no layer ${layer} in ${loaded.manifest.id}`);
  return info.outputShape[info.outputShape.length - 1];
}

async function measureModel(
  plan: Plan,
  steps: number,
  learningRate: number,
  limit: number,
  only: string[] | undefined,
): Promise<Row[]> {
  const loaded = await loadServerModel(tf, plan.model);
  const files = imageFilesIn(plan.photos()).slice(0, limit);
  const rows: Row[] = [];
  try {
    for (const [i, layer] of plan.layers.entries()) {
      if (only && !only.includes(layer)) continue;
      const best = await bestImagesPerChannel(tf, loaded, layer, decodeFilesAhead(files, loaded.manifest));
      for (const channel of spread(channelsOf(loaded, layer), PER_LAYER[i])) {
        const started = performance.now();
        const result = await featureVisualization(tf, loaded, {
          objective: { kind: 'channel', layer, channel },
          steps,
          learningRate,
          previewEvery: 0,
        });
        const seconds = (performance.now() - started) / 1000;
        const [means] = await channelMeans(tf, loaded, layer, result.images);
        const row: Row = {
          model: plan.model,
          layer,
          channel,
          optimised: result.values[0],
          photo: best.values[channel],
          photoId: best.imageIds[channel],
          photos: best.imagesSeen,
          selectivity: selectivity(means, channel),
          seconds,
        };
        console.error(
          `  ${plan.model} ${layer} ch ${channel}: ${row.optimised.toFixed(3)} vs photo ${row.photo.toFixed(3)} → ${(row.optimised / row.photo).toFixed(2)}×, selectivity ${row.selectivity.toFixed(2)}× (${seconds.toFixed(0)} s)`,
        );
        rows.push(row);
      }
    }
  } finally {
    loaded.dispose();
  }
  return rows;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const geometricMean = (values: number[]) =>
  Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');

function report(
  rows: Row[],
  command: string,
  steps: number,
  learningRate: number,
  loadAtStart: string,
): string {
  const lines = [
    START,
    `Measured with \`${command}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; wasm backend, ${steps} steps, learning rate ${learningRate}, the model's input size, seed 0). The 2-core machine was shared with other engineers' builds and tests (load average ${loadAtStart} at the start, ${loadAverage()} at the end), so the times are longer than a quiet machine's; the ratios do not depend on it.`,
    '',
    '| model | layer | channel | optimised | best photo | ÷ best photo | own ÷ other channels | time (s) |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.layer} | ${r.channel} | ${r.optimised.toFixed(3)} | ${r.photo.toFixed(3)} (${r.photoId}) | ${(r.optimised / r.photo).toFixed(2)}× | ${r.selectivity.toFixed(2)}× | ${r.seconds.toFixed(0)} |`,
    ),
    '',
    '| model | photos | channels above the best photo | ÷ best photo: median (min) | own ÷ others: geometric mean (min) |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const mine = rows.filter((r) => r.model === model);
    const ratios = mine.map((r) => r.optimised / r.photo);
    const selectivities = mine.map((r) => r.selectivity);
    lines.push(
      `| ${model} | ${mine[0].photos} | ${ratios.filter((r) => r > 1).length} of ${mine.length} | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}×) | ${geometricMean(selectivities.map((s) => Math.max(s, 1e-6))).toFixed(2)}× (${Math.min(...selectivities).toFixed(2)}×) |`,
    );
  }
  lines.push(END);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: PLANS.map((p) => p.model).join(',') },
      steps: { type: 'string', default: '256' },
      lr: { type: 'string', default: '0.05' },
      limit: { type: 'string', default: '1000' },
      layers: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  await tf.setBackend('wasm');
  await tf.ready();
  const loadAtStart = loadAverage();
  const steps = Number(values.steps);
  const wanted = values.models.split(',');
  const rows: Row[] = [];
  for (const plan of PLANS.filter((p) => wanted.includes(p.model))) {
    if (!existsSync(plan.photos())) {
      console.error(`skipping ${plan.model}: no photos at ${plan.photos()} (the packs are absent)`);
      continue;
    }
    console.error(`${plan.model}:`);
    const only = values.layers?.split(',');
    rows.push(...(await measureModel(plan, steps, Number(values.lr), Number(values.limit), only)));
  }
  const command = `npm run bench:feature-vis-ratios${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const table = report(rows, command, steps, Number(values.lr), loadAtStart);
  console.log(table);
  if (values['no-write']) return;
  const docs = path.join(PROJECT_ROOT, 'docs/viz.md');
  const text = readFileSync(docs, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`docs/viz.md has no ${START} … ${END} block to replace`);
  writeFileSync(docs, text.slice(0, start) + table + text.slice(end + END.length));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
