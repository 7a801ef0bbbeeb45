// Feature visualisation speed on the server's backend (wasm here): for each model, the time for the steps at
// the model's input size, per step (wall clock, and this process's CPU time, which a shared machine inflates
// less), the time to the first preview, and the time to the first preview whose image excites the channel more
// than the best photo of the set does (the "recognisable": measured on the 8-bit preview, untransformed,
// like a photo). Two settings: the default (256 steps, learning rate 0.05) and the classroom panel's (128 steps
// at 0.08). Used by `npm run bench` (section feature-vis) and `npm run bench:feature-vis`.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import { bestImagesPerChannel, featureVisualization } from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';
import { PROJECT_ROOT } from '@/server/models/paths';

interface Target {
  model: string;
  layer: string;
  channel: number;
  photos: (packsDir: string) => string;
}

export const FEATURE_VIS_TARGETS: Target[] = [
  {
    model: 'mnist-cnn',
    layer: 'conv3',
    channel: 0,
    photos: () => path.join(PROJECT_ROOT, 'public/images/mnist'),
  },
  {
    model: 'mobilenet-v1-0.75',
    layer: 'conv_pw_11_relu',
    channel: 0,
    photos: (packs) => path.join(packs, 'images/imagenet-sample-images'),
  },
  {
    model: 'squeezenet-1.0',
    layer: 'fire8_concat',
    channel: 0,
    photos: (packs) => path.join(packs, 'images/imagenet-sample-images'),
  },
];

/** The default settings, and the panel's (fewer steps climb faster: app/_ui/session/views/feature-vis-panel.tsx). */
const SETTINGS = [
  { steps: 256, learningRate: 0.05 },
  { steps: 128, learningRate: 0.08 },
];

export interface FeatureVisSpeedOptions {
  packsDir: string;
  models?: string[];
  /** Steps of the default run (the panel's run keeps 128). */
  steps?: number;
  /** Photos the best-photo reference is taken from. */
  limit?: number;
  log?: (line: string) => void;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Timing {
  steps: number;
  learningRate: number;
  seconds: number;
  cpuSeconds: number;
  firstPreview: number;
  /** Seconds and step of the first preview beyond the best photo (NaN: none). */
  beatsPhoto: { seconds: number; step: number };
  /** Seconds and step of the first preview at 90% of the final value. */
  nearFinal: { seconds: number; step: number };
  value: number;
}

async function timeRun(
  loaded: LoadedModel,
  target: Target,
  steps: number,
  learningRate: number,
  bestPhoto: number,
): Promise<Timing> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  let firstPreview = Number.NaN;
  const beatsPhoto = { seconds: Number.NaN, step: Number.NaN };
  const previews: { seconds: number; step: number; value: number }[] = [];
  const result = await featureVisualization(
    tf,
    loaded,
    { objective: { kind: 'channel', layer: target.layer, channel: target.channel }, steps, learningRate },
    {
      onPreview: (preview) => {
        const seconds = (performance.now() - started) / 1000;
        if (Number.isNaN(firstPreview)) firstPreview = seconds;
        previews.push({ seconds, step: preview.step, value: preview.values[0] });
        if (Number.isNaN(beatsPhoto.step) && preview.values[0] > bestPhoto) {
          Object.assign(beatsPhoto, { seconds, step: preview.step });
        }
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (Number.isNaN(beatsPhoto.step) && result.values[0] > bestPhoto) {
    Object.assign(beatsPhoto, { seconds, step: steps });
  }
  const final = result.values[0];
  const near = previews.find((p) => p.value >= 0.9 * final) ?? { seconds, step: steps };
  return {
    steps,
    learningRate,
    seconds,
    nearFinal: { seconds: near.seconds, step: near.step },
    cpuSeconds: cpuSeconds() - cpuStarted,
    firstPreview,
    beatsPhoto,
    value: final,
  };
}

/** The markdown table (and a note) of the speed of each model whose photos exist. */
export async function featureVisSpeed(options: FeatureVisSpeedOptions): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  const wanted = options.models ?? FEATURE_VIS_TARGETS.map((t) => t.model);
  const rows: string[] = [];
  const skipped: string[] = [];
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
  for (const target of FEATURE_VIS_TARGETS.filter((t) => wanted.includes(t.model))) {
    const dir = target.photos(options.packsDir);
    if (!existsSync(dir)) {
      skipped.push(`${target.model} (no photos at ${dir})`);
      continue;
    }
    const loaded = await loadServerModel(tf, target.model);
    try {
      const files = imageFilesIn(dir).slice(0, options.limit ?? 1000);
      const best = await bestImagesPerChannel(
        tf,
        loaded,
        target.layer,
        decodeFilesAhead(files, loaded.manifest),
      );
      const bestPhoto = best.values[target.channel];
      const { height, width } = loaded.manifest.inputSize;
      const runs = [{ ...SETTINGS[0], steps: options.steps ?? SETTINGS[0].steps }, SETTINGS[1]];
      for (const { steps, learningRate } of runs) {
        const t = await timeRun(loaded, target, steps, learningRate, bestPhoto);
        log(`  feature-vis ${target.model} ${steps} steps: ${t.seconds.toFixed(1)} s`);
        const beats = Number.isNaN(t.beatsPhoto.step)
          ? 'not within the run'
          : `${t.beatsPhoto.seconds.toFixed(1)} (step ${t.beatsPhoto.step})`;
        rows.push(
          `| ${target.model} | ${target.layer} ch ${target.channel} | ${height}×${width} | ${steps} | ${learningRate} | ${t.seconds.toFixed(1)} | ${((t.seconds * 1000) / steps).toFixed(0)} | ${((t.cpuSeconds * 1000) / steps).toFixed(0)} | ${t.firstPreview.toFixed(2)} | ${t.nearFinal.seconds.toFixed(1)} (step ${t.nearFinal.step}) | ${beats} | ${((t.cpuSeconds / steps) * 256).toFixed(0)} | ${t.value.toFixed(3)} ÷ ${bestPhoto.toFixed(3)} = ${(t.value / bestPhoto).toFixed(2)}× |`,
        );
      }
    } finally {
      loaded.dispose();
    }
  }
  return [
    '| model | channel | input | steps | learning rate | total (s) | ms / step | CPU ms / step | first preview (s) | 90% of the final at (s) | beats the best photo at (s) | 256 steps of CPU (s) | reached ÷ best photo |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |',
    ...rows,
    '',
    'One image at the model\'s input size, previews after steps 1, 2, 4, 8 and then every 16 (as the server streams them), each measured like a photo. "90% of the final": the first preview whose activation reaches 90% of the final image\'s (the image has formed). "Beats the best photo": the first preview whose 8-bit image excites the channel more than the best of the photos (1,000 ImageNet samples; the 200 built-in digits for mnist-cnn). Times include the previews and grow with the machine\'s load; "256 steps of CPU" (this process\'s CPU time per step × 256; the wasm backend runs on one thread) is about what 256 steps take on an idle core.',
    '',
    `Load average at the start: ${loadAtStart}.`,
    ...(skipped.length > 0 ? ['', `Skipped: ${skipped.join('; ')}.`] : []),
  ].join('\n');
}
