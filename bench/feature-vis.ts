// Feature visualisation speed on the server's wasm backend: time for the steps at the model's input size, per
// step (wall clock and this process's CPU time, which a shared machine inflates less), and time to the first
// preview; the default (256 steps) and the classroom setting (128 steps at learning rate 0.08).
// Usage: npm run bench:feature-vis -- [--models mnist-cnn,mobilenet-v1-0.75,squeezenet-1.0] [--steps 256]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { featureVisualization } from '@/lib/viz/feature-vis';
import { loadServerModel } from '@/server/models/load';

const LAYERS: Record<string, string> = {
  'mnist-cnn': 'conv3',
  'mobilenet-v1-0.75': 'conv_pw_11_relu',
  'squeezenet-1.0': 'fire8_concat',
};

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function run(model: string, steps: number, learningRate: number): Promise<string> {
  const loaded = await loadServerModel(tf, model);
  try {
    const started = performance.now();
    const cpuStarted = cpuMs();
    let firstPreview = Number.NaN;
    const result = await featureVisualization(
      tf,
      loaded,
      { objective: { kind: 'channel', layer: LAYERS[model], channel: 0 }, steps, learningRate },
      {
        onPreview: () => {
          if (Number.isNaN(firstPreview)) firstPreview = performance.now() - started;
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = (cpuMs() - cpuStarted) / 1000;
    const { height, width } = loaded.manifest.inputSize;
    return `| ${model} | ${LAYERS[model]} | ${height}×${width} | ${steps} | ${learningRate} | ${seconds.toFixed(1)} | ${((seconds * 1000) / steps).toFixed(0)} | ${((cpu * 1000) / steps).toFixed(0)} | ${(firstPreview / 1000).toFixed(2)} | ${result.values[0].toFixed(3)} |`;
  } finally {
    loaded.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: Object.keys(LAYERS).join(',') },
      steps: { type: 'string', default: '256' },
    },
  });
  await tf.setBackend('wasm');
  await tf.ready();
  const rows: string[] = [];
  for (const model of values.models.split(',')) {
    if (!LAYERS[model]) throw new Error(`no benchmark layer for ${model}`);
    try {
      rows.push(await run(model, Number(values.steps), 0.05));
      rows.push(await run(model, 128, 0.08));
    } catch (error) {
      console.error(`skipping ${model}: ${(error as Error).message}`);
    }
  }
  console.log(
    [
      '## Feature visualisation (wasm)',
      '',
      '| model | layer | input | steps | learning rate | total (s) | ms / step | CPU ms / step | first preview (s) | activation |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
